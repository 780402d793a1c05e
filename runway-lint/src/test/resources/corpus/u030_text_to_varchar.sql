-- expect: RW112
ALTER TABLE users ALTER COLUMN name TYPE varchar(80);
