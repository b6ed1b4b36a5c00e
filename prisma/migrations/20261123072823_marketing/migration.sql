-- AlterTable
ALTER TABLE "campaigns" ADD COLUMN     "marketing_activity_id" TEXT,
ADD COLUMN     "marketing_status" TEXT;

-- CreateTable
CREATE TABLE "marketing_engagements" (
    "campaign_id" INTEGER NOT NULL,
    "day" DATE NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'sending',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "marketing_engagements_pkey" PRIMARY KEY ("campaign_id","day")
);

-- AddForeignKey
ALTER TABLE "marketing_engagements" ADD CONSTRAINT "marketing_engagements_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;

