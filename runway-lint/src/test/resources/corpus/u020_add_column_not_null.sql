-- expect: RW108
ALTER TABLE orders ADD COLUMN currency text NOT NULL;
