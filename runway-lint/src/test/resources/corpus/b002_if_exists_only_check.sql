-- expect: RW105
-- corpus-note: held-out
ALTER TABLE IF EXISTS ONLY orders ADD CONSTRAINT orders_note_len CHECK (length(note) < 40);
