-- expect: none
-- corpus-note: held-out
LOCK TABLE orders IN ACCESS EXCLUSIVE MODE;
ALTER TABLE orders ADD COLUMN z text;
