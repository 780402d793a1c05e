-- runway:up
ALTER TABLE orders VALIDATE CONSTRAINT orders_coupon_fk;
-- runway:down
SELECT 1;
