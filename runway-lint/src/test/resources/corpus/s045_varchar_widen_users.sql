-- expect: none
ALTER TABLE users ALTER COLUMN email TYPE varchar(200);
