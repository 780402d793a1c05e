-- expect: none
ALTER TABLE audit ADD COLUMN user_id bigint REFERENCES users (id);
