-- expect: RW103
-- corpus-mode: plain
SET lock_timeout = '2s';
BEGIN;
CREATE INDEX CONCURRENTLY orders_user_idx ON orders (user_id);
COMMIT;
