-- expect: none
-- runway:up
ALTER TABLE orders ADD COLUMN promo text;
-- runway:down
ALTER TABLE orders DROP COLUMN promo;
