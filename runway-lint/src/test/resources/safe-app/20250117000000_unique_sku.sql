-- runway:up
CREATE UNIQUE INDEX CONCURRENTLY products_sku_uidx ON products (sku);
-- runway:down
DROP INDEX CONCURRENTLY products_sku_uidx;
