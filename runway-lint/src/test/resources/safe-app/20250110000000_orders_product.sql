-- runway:up
ALTER TABLE orders ADD COLUMN product_id bigint REFERENCES products (id);
-- runway:down
ALTER TABLE orders DROP COLUMN product_id;
