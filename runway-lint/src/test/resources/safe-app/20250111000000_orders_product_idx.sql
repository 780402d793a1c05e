-- runway:up
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_product_idx ON orders (product_id);
-- runway:down
DROP INDEX CONCURRENTLY IF EXISTS orders_product_idx;
