-- expect: none
-- corpus-note: held-out
ALTER TABLE users ADD COLUMN tags text[] NOT NULL DEFAULT '{}';
