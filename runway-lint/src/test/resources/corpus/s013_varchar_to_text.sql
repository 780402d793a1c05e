-- expect: none
ALTER TABLE orders ALTER COLUMN note TYPE text;
