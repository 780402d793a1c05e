-- expect: none
ALTER TABLE products ADD CONSTRAINT products_sku_key UNIQUE USING INDEX products_sku_uidx;
