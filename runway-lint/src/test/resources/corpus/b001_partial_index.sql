-- expect: RW101
-- corpus-note: held-out
CREATE INDEX IF NOT EXISTS orders_note_idx ON orders USING btree (note) WHERE note IS NOT NULL;
