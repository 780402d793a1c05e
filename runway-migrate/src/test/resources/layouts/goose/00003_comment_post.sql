-- +goose Up
-- +goose NO TRANSACTION
COMMENT ON TABLE post IS 'blog posts';

-- +goose Down
COMMENT ON TABLE post IS NULL;
