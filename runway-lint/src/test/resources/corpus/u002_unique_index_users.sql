-- expect: RW101
CREATE UNIQUE INDEX users_email_uidx ON users (email);
