-- expect: RW401
-- runway:up
ALTER TABLE orders ADD COLUMN gift boolean;
-- runway:down
ALTER TABLE orders DROP COLUMN is_gift;
