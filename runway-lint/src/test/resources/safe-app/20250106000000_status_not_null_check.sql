-- runway:up
ALTER TABLE orders ADD CONSTRAINT orders_status_nn CHECK (status IS NOT NULL) NOT VALID;
-- runway:down
ALTER TABLE orders DROP CONSTRAINT orders_status_nn;
