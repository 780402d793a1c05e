-- expect: none
-- corpus-note: held-out
-- AlterTable
ALTER TABLE "public"."users" ADD COLUMN     "verified" BOOLEAN NOT NULL DEFAULT false;
