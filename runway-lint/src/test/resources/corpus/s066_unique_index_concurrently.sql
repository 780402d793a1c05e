-- expect: none
CREATE UNIQUE INDEX CONCURRENTLY users_email_uidx ON users (email);
