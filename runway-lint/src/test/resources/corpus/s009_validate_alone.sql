-- expect: none
ALTER TABLE orders VALIDATE CONSTRAINT orders_product_fk;
