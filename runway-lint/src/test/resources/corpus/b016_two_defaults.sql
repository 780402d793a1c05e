-- expect: none
-- corpus-note: held-out
ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'new', ALTER COLUMN note SET DEFAULT '';
