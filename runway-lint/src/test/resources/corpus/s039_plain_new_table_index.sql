-- expect: none
-- corpus-mode: plain
CREATE TABLE shipments (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, order_id bigint);
CREATE INDEX shipments_order_idx ON shipments (order_id);
