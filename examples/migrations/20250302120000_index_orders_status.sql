-- Built without blocking writes; Runway runs it outside a transaction automatically
-- (and drops an INVALID leftover before retrying).
-- runway:up
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_idx ON orders (status);

-- runway:down
DROP INDEX CONCURRENTLY IF EXISTS orders_status_idx;
