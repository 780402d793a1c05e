-- expect: RW110
-- corpus-note: held-out
ALTER TABLE users ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('simple', coalesce(name, ''))) STORED;
