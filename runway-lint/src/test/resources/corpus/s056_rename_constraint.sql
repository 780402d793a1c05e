-- expect: none
ALTER TABLE orders RENAME CONSTRAINT orders_total_pos TO orders_total_nonneg;
