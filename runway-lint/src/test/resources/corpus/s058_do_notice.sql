-- expect: none
DO $$
DECLARE n bigint;
BEGIN
  SELECT count(*) INTO n FROM orders;
  RAISE NOTICE 'orders: %', n;
END
$$;
