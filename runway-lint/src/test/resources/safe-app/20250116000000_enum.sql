-- runway:up
CREATE TYPE order_channel AS ENUM ('web', 'app');
ALTER TABLE orders ADD COLUMN channel order_channel;
-- runway:down
ALTER TABLE orders DROP COLUMN channel;
DROP TYPE order_channel;
