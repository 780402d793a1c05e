-- expect: RW107, RW122
-- corpus-note: held-out
ALTER TABLE orders ADD COLUMN ref text;
UPDATE orders SET ref = '';
ALTER TABLE orders ALTER COLUMN ref SET NOT NULL;
