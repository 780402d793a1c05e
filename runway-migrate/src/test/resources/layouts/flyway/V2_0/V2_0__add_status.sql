ALTER TABLE ${table_prefix}account ADD COLUMN status text DEFAULT 'new';
COMMENT ON COLUMN ${table_prefix}account.status IS 'set by ${flyway:filename}';
