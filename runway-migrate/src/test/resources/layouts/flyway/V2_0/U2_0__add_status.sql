ALTER TABLE ${table_prefix}account DROP COLUMN status;
