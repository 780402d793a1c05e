-- expect: RW112, RW201
ALTER TABLE orders ADD COLUMN tracking text, DROP COLUMN shipped_at, ALTER COLUMN legacy_code TYPE bigint;
