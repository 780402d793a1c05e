-- expect: RW112
ALTER TABLE orders ALTER COLUMN legacy_code TYPE bigint;
