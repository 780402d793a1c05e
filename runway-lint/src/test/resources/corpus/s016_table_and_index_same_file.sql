-- expect: none
CREATE TABLE carts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id bigint);
CREATE INDEX carts_user_idx ON carts (user_id);
