-- expect: RW113
ALTER TABLE orders ADD COLUMN ext_ref text UNIQUE;
