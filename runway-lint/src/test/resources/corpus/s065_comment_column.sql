-- expect: none
COMMENT ON COLUMN users.plan IS 'billing plan';
