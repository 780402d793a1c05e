-- expect: RW112
DO $$
BEGIN
  ALTER TABLE audit ALTER COLUMN msg TYPE varchar(500);
END
$$;
