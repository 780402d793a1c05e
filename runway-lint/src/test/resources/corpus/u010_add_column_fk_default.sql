-- expect: RW104
ALTER TABLE audit ADD COLUMN user_id bigint DEFAULT 1 REFERENCES users (id);
