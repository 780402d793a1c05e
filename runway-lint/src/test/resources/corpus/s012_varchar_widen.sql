-- expect: none
ALTER TABLE orders ALTER COLUMN note TYPE varchar(100);
