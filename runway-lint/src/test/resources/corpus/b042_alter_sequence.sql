-- expect: none
-- corpus-note: held-out
ALTER SEQUENCE orders_id_seq RESTART WITH 1000;
