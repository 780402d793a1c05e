-- +goose no transaction
-- +goose Up
CREATE INDEX CONCURRENTLY post_title_idx ON post (title);

-- +goose Down
DROP INDEX CONCURRENTLY post_title_idx;
