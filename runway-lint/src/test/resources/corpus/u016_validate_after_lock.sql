-- expect: RW106
ALTER TABLE orders ADD COLUMN discount numeric;
ALTER TABLE orders VALIDATE CONSTRAINT orders_total_pos;
