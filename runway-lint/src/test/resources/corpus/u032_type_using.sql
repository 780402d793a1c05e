-- expect: RW112
ALTER TABLE orders ALTER COLUMN status TYPE int USING length(status);
