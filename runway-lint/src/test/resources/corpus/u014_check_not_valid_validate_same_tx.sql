-- expect: RW106
ALTER TABLE users ADD CONSTRAINT users_age_ok CHECK (age >= 0) NOT VALID;
ALTER TABLE users VALIDATE CONSTRAINT users_age_ok;
