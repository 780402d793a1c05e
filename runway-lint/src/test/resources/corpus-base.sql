-- Schema every corpus migration runs against (empty tables, as on a scratch server).
CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email varchar(100), name text, status text,
  created_at timestamp, plan text, age int, CONSTRAINT users_email_nn CHECK (email IS NOT NULL));
CREATE TABLE products (id bigint PRIMARY KEY, sku text, price numeric(10,2), title varchar(200));
CREATE UNIQUE INDEX products_sku_uidx ON products (sku);
CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id bigint, total numeric(12,2), status text,
  note varchar(50), created_at timestamptz DEFAULT now(), legacy_code int, shipped_at timestamp, product_id bigint);
ALTER TABLE orders ADD CONSTRAINT orders_total_pos CHECK (total >= 0) NOT VALID;
ALTER TABLE orders ADD CONSTRAINT orders_status_nn CHECK (status IS NOT NULL) NOT VALID;
ALTER TABLE orders ADD CONSTRAINT orders_product_fk FOREIGN KEY (product_id) REFERENCES products (id) NOT VALID;
CREATE INDEX orders_status_idx ON orders (status);
CREATE TABLE events (id bigint, kind text, payload jsonb, at timestamptz NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE MATERIALIZED VIEW order_totals AS SELECT user_id, sum(total) AS total FROM orders GROUP BY user_id;
CREATE UNIQUE INDEX order_totals_uid ON order_totals (user_id);
CREATE TABLE audit (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, msg text, at timestamptz);
CREATE TABLE legacy (id bigint NOT NULL, code text);
CREATE UNIQUE INDEX legacy_id_uidx ON legacy (id);
CREATE TABLE legacy_nopk (id bigint, code text);
CREATE TABLE bookings (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, room int, during tsrange);
