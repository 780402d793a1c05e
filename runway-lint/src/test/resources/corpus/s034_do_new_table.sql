-- expect: none
DO $$
BEGIN
  CREATE TABLE IF NOT EXISTS settings (key text PRIMARY KEY, value text);
  CREATE INDEX settings_value_idx ON settings (value);
END
$$;
