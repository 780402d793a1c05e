-- expect: RW112, RW121
-- corpus-note: held-out
-- corpus-mode: plain
BEGIN;
--
-- Alter field title on product
--
ALTER TABLE "products" ALTER COLUMN "title" TYPE varchar(120);
COMMIT;
