-- expect: none
ALTER TABLE orders ADD COLUMN coupon_product_id bigint REFERENCES products (id) ON DELETE SET NULL;
