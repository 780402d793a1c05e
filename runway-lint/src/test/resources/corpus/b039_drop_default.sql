-- expect: none
-- corpus-note: held-out
ALTER TABLE users ALTER COLUMN plan DROP DEFAULT;
