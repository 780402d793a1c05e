-- expect: RW105
ALTER TABLE orders ADD CONSTRAINT orders_total_max CHECK (total < 1000000);
