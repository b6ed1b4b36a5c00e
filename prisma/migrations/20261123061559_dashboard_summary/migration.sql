-- AlterTable
ALTER TABLE "shops" ADD COLUMN     "audience_summary" JSONB,
ADD COLUMN     "audience_summary_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "enrollments_campaign_id_id_idx" ON "enrollments"("campaign_id", "id" DESC);

