-- expect: RW122
INSERT INTO audit (msg) SELECT 'order ' || id FROM orders;
