-- runway:up
CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id), total numeric(12,2) NOT NULL);
CREATE INDEX orders_user_idx ON orders (user_id);
-- runway:down
DROP TABLE orders;
