-- expect: none
-- corpus-note: held-out
ALTER TABLE orders ALTER COLUMN created_at TYPE timestamptz;
