-- runway:up
ALTER TABLE products ALTER COLUMN title TYPE varchar(200);
-- runway:down
ALTER TABLE products ALTER COLUMN title TYPE varchar(100);
