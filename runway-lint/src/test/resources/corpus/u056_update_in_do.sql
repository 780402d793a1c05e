-- expect: RW122
DO $$
BEGIN
  UPDATE users SET plan = 'free' WHERE plan IS NULL;
END
$$;
