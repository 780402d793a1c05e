-- expect: none
-- corpus-note: held-out
ALTER TABLE "users" ALTER COLUMN "status" SET DEFAULT 'active';
