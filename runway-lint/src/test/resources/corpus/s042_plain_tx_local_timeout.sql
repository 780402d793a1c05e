-- expect: none
-- corpus-mode: plain
BEGIN;
SET LOCAL lock_timeout = '1s';
ALTER TABLE users ADD COLUMN referrer text;
COMMIT;
