-- expect: RW101
-- corpus-note: held-out
CREATE INDEX users_lower_email_idx ON users ((lower(email)));
