-- expect: none
-- corpus-note: held-out
CREATE TABLE orders_archive AS SELECT * FROM orders WHERE false;
