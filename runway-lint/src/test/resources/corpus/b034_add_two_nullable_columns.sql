-- expect: none
-- corpus-note: held-out
ALTER TABLE orders ADD COLUMN utm_source text, ADD COLUMN utm_medium text;
