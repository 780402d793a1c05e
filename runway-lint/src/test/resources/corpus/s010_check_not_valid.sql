-- expect: none
ALTER TABLE users ADD CONSTRAINT users_age_ok CHECK (age >= 0) NOT VALID;
