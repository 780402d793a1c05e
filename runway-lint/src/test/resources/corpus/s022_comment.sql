-- expect: none
COMMENT ON TABLE orders IS 'One row per checkout';
