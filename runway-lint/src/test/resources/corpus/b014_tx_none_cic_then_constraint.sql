-- expect: none
-- corpus-note: held-out
-- runway:transaction none
-- runway:up
CREATE UNIQUE INDEX CONCURRENTLY users_email_uidx ON users (email);
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_uidx;
