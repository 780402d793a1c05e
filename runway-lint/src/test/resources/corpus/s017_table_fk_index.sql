-- expect: none
CREATE TABLE cart_items (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, product_id bigint NOT NULL REFERENCES products (id), qty int NOT NULL);
CREATE INDEX cart_items_product_idx ON cart_items (product_id);
ALTER TABLE cart_items ADD CONSTRAINT cart_items_qty_ok CHECK (qty > 0);
