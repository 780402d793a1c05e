-- expect: RW203
-- corpus-note: held-out
ALTER TABLE "users" RENAME COLUMN "plan" TO "subscription_plan";
