-- expect: none
CREATE FUNCTION order_count(uid bigint) RETURNS bigint LANGUAGE sql STABLE AS $$
  SELECT count(*) FROM orders WHERE user_id = uid;
$$;
