-- expect: none
DO $$
BEGIN
  ALTER TABLE orders ADD COLUMN IF NOT EXISTS source text;
END
$$;
