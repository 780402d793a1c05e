-- expect: RW101
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'orders_created_idx') THEN
    CREATE INDEX orders_created_idx ON orders (created_at);
  END IF;
END
$$;
