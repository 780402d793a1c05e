-- expect: none
-- corpus-mode: plain
SET lock_timeout = '1s';
ALTER TABLE orders ADD COLUMN campaign text;
