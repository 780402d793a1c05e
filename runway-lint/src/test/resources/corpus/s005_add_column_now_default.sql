-- expect: none
ALTER TABLE audit ADD COLUMN logged_at timestamptz NOT NULL DEFAULT now();
