-- expect: none
-- corpus-note: held-out
-- corpus-mode: plain
SET lock_timeout = '2s';
ALTER TABLE "orders" ADD COLUMN "coupon_id" bigint NULL CONSTRAINT "orders_coupon_id_fk" REFERENCES "products"("id") DEFERRABLE INITIALLY DEFERRED;
