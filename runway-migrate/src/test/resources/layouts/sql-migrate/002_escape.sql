-- +migrate Up
ALTER TABLE project ADD COLUMN owner text;
COMMIT;
CREATE INDEX CONCURRENTLY project_owner_idx ON project (owner);
BEGIN;
UPDATE project SET owner = 'nobody' WHERE owner IS NULL;

-- +migrate Down
DROP INDEX project_owner_idx;
ALTER TABLE project DROP COLUMN owner;
