-- expect: RW403
-- runway:up
ALTER TABLE users ADD COLUMN IF NOT EXISTS nickname text;
-- runway:down
ALTER TABLE users ALTER COLUMN plan TYPE varchar(10);
