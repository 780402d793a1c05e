-- expect: none
-- corpus-note: held-out
ALTER TABLE "orders" ADD COLUMN "Flag" boolean DEFAULT false NOT NULL;
