-- expect: none
ALTER TABLE orders ADD CONSTRAINT orders_note_len CHECK (char_length(note) < 500) NOT VALID;
