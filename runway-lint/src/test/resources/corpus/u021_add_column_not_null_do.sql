-- expect: RW108
DO $$ BEGIN
  ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL;
END $$;
