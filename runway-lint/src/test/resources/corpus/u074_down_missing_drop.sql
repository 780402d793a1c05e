-- expect: RW402
-- runway:up
CREATE TABLE wishlists (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id bigint);
CREATE INDEX wishlists_user_idx ON wishlists (user_id);
-- runway:down
DROP INDEX wishlists_user_idx;
