-- expect: RW103
-- runway:up
DROP INDEX CONCURRENTLY orders_status_idx;
ALTER TABLE orders ADD COLUMN flag boolean;
