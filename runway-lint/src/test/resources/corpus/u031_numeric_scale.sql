-- expect: RW112
ALTER TABLE products ALTER COLUMN price TYPE numeric(10,3);
