-- expect: RW104
DO $$
BEGIN
  ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);
EXCEPTION WHEN duplicate_object THEN
  RAISE NOTICE 'exists';
END
$$;
