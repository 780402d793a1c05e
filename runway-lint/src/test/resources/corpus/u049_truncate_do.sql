-- expect: RW120
DO $$ BEGIN
  TRUNCATE audit;
END $$;
