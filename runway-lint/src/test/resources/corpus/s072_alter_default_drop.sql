-- expect: none
ALTER TABLE orders ALTER COLUMN created_at DROP DEFAULT;
