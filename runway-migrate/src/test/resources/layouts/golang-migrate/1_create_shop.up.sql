-- golang-migrate runs the file as written: this one manages its own transaction
BEGIN;
CREATE TABLE shop (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);
INSERT INTO shop (name) VALUES ('first');
COMMIT;
