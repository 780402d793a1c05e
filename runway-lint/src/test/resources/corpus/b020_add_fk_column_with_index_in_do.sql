-- expect: RW101
-- corpus-note: held-out
DO $$
BEGIN
  ALTER TABLE audit ADD COLUMN order_id bigint REFERENCES orders (id);
  CREATE INDEX audit_order_idx ON audit (order_id);
END
$$;
