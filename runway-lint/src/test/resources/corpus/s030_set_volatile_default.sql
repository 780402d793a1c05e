-- expect: none
ALTER TABLE audit ALTER COLUMN msg SET DEFAULT md5(random()::text);
