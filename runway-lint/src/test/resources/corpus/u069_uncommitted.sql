-- expect: RW303
-- corpus-mode: plain
SET lock_timeout = '1s';
BEGIN;
ALTER TABLE users ADD COLUMN phone text;
