-- expect: none
-- corpus-note: held-out
ALTER TABLE products ALTER COLUMN price TYPE numeric(12,2);
