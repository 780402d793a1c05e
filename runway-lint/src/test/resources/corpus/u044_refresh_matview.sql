-- expect: RW118
REFRESH MATERIALIZED VIEW order_totals;
