-- expect: RW103
-- runway:up
ALTER TABLE orders ADD COLUMN channel text;
CREATE INDEX CONCURRENTLY orders_channel_idx ON orders (channel);
