-- expect: RW103
-- corpus-mode: plain
SET lock_timeout = '1s';
BEGIN;
ALTER TABLE events DETACH PARTITION events_2024 CONCURRENTLY;
COMMIT;
