-- CreateIndex
CREATE INDEX "enrollments_shop_id_updated_at_idx" ON "enrollments"("shop_id", "updated_at");

