-- expect: none
-- corpus-note: held-out
ALTER TABLE legacy ADD COLUMN updated_at timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP;
