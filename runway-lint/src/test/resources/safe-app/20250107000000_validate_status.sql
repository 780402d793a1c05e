-- runway:up
ALTER TABLE orders VALIDATE CONSTRAINT orders_status_nn;
-- runway:down
SELECT 1;
