-- expect: none
CREATE MATERIALIZED VIEW top_products AS SELECT product_id, count(*) AS n FROM orders GROUP BY product_id WITH NO DATA;
CREATE UNIQUE INDEX top_products_pid ON top_products (product_id);
REFRESH MATERIALIZED VIEW top_products;
