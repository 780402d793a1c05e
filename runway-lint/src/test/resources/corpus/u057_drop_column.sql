-- expect: RW201
ALTER TABLE orders DROP COLUMN legacy_code;
