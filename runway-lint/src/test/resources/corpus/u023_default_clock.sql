-- expect: RW109
ALTER TABLE audit ADD COLUMN seen_at timestamptz NOT NULL DEFAULT clock_timestamp();
