CREATE INDEX CONCURRENTLY shop_name_idx ON shop (name);
