-- expect: RW203
DO $$
BEGIN
  ALTER TABLE orders RENAME note TO remark;
END
$$;
