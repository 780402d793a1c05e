-- expect: RW201
DO $$
BEGIN
  ALTER TABLE orders DROP COLUMN shipped_at;
END
$$;
