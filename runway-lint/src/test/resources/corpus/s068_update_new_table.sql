-- expect: none
CREATE TABLE flags (name text PRIMARY KEY, on_ boolean);
INSERT INTO flags VALUES ('beta', false);
UPDATE flags SET on_ = true WHERE name = 'beta';
