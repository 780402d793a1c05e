-- expect: none
-- runway:up
CREATE TABLE favorites (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id bigint NOT NULL, product_id bigint NOT NULL);
CREATE INDEX favorites_user_idx ON favorites (user_id);
-- runway:down
DROP TABLE favorites;
