-- expect: RW101
ALTER TABLE orders ADD COLUMN region text;
CREATE INDEX orders_region_idx ON orders (region);
