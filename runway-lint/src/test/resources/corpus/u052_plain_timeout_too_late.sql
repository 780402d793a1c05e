-- expect: RW121
-- corpus-mode: plain
ALTER TABLE users ADD COLUMN locale text;
SET lock_timeout = '1s';
ALTER TABLE users ADD COLUMN tz text;
