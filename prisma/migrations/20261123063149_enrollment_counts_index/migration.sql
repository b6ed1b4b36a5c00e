-- CreateIndex
CREATE INDEX "enrollments_shop_id_campaign_id_status_holdout_idx" ON "enrollments"("shop_id", "campaign_id", "status", "holdout");

