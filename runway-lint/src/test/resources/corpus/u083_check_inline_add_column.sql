-- expect: RW105
ALTER TABLE orders ADD COLUMN qty int CHECK (qty > 0);
