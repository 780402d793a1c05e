-- expect: none
ALTER TABLE users ADD COLUMN nick text;
-- runway:nolint RW101 users is a 10-row admin table
CREATE INDEX users_nick_idx ON users (nick);
