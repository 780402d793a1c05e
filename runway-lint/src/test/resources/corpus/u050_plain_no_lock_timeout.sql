-- expect: RW121
-- corpus-mode: plain
ALTER TABLE orders ADD COLUMN coupon text;
