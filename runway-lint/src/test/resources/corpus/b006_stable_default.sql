-- expect: none
-- corpus-note: held-out
ALTER TABLE orders ADD COLUMN seen timestamptz DEFAULT statement_timestamp();
