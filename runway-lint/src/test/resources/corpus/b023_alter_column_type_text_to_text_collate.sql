-- expect: none
-- corpus-note: held-out
ALTER TABLE users ALTER COLUMN name TYPE text COLLATE "C";
