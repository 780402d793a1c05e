-- expect: RW118
DO $$
BEGIN
  REFRESH MATERIALIZED VIEW order_totals;
END
$$;
