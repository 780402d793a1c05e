-- runway:up
ALTER TABLE orders ADD COLUMN status text;
-- runway:down
ALTER TABLE orders DROP COLUMN status;
