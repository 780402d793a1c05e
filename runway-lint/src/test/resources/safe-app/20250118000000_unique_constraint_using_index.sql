-- runway:up
ALTER TABLE products ADD CONSTRAINT products_sku_key UNIQUE USING INDEX products_sku_uidx;
-- runway:down
ALTER TABLE products DROP CONSTRAINT products_sku_key;
CREATE UNIQUE INDEX products_sku_uidx ON products (sku);
