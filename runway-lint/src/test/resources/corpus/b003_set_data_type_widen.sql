-- expect: none
-- corpus-note: held-out
ALTER TABLE orders ALTER note SET DATA TYPE varchar(60);
