-- +migrate Up notransaction
CREATE INDEX CONCURRENTLY project_key_lower_idx ON project (lower(key));

-- +migrate Down
DROP INDEX project_key_lower_idx;
