-- runway:up
CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);
-- runway:down
DROP INDEX CONCURRENTLY orders_status_idx;
