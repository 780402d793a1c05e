-- expect: RW112
-- corpus-note: held-out
ALTER TABLE users ALTER COLUMN age TYPE bigint USING age::bigint;
