-- expect: none
-- corpus-note: held-out
ALTER TABLE orders DROP CONSTRAINT orders_total_pos;
