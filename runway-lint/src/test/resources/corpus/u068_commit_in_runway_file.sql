-- expect: RW302
ALTER TABLE users ADD COLUMN bio text;
COMMIT;
ALTER TABLE users ADD COLUMN avatar text;
