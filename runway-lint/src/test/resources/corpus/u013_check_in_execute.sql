-- expect: RW105
DO $$
BEGIN
  EXECUTE 'ALTER TABLE users ADD CONSTRAINT users_age_ok CHECK (age >= 0)';
END
$$;
