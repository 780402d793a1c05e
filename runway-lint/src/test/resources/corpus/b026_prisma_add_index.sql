-- expect: RW101
-- corpus-note: held-out
-- CreateIndex
CREATE INDEX "orders_user_id_created_at_idx" ON "public"."orders"("user_id", "created_at");
