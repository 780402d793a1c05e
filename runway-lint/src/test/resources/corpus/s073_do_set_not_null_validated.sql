-- expect: none
DO $$
BEGIN
  ALTER TABLE users ALTER COLUMN email SET NOT NULL;
END
$$;
