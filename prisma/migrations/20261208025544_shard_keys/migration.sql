-- Ready to shard by shop: shop_id leads every shop table's primary key and is part of every
-- unique constraint and of every foreign key between shop tables (test/integration/shard-keys.test.ts).
-- DropForeignKey
ALTER TABLE "email_sends" DROP CONSTRAINT "email_sends_template_id_fkey";

-- DropForeignKey
ALTER TABLE "email_sends" DROP CONSTRAINT "email_sends_enrollment_id_fkey";

-- DropForeignKey
ALTER TABLE "enrollments" DROP CONSTRAINT "enrollments_campaign_id_fkey";

-- DropForeignKey
ALTER TABLE "discount_codes" DROP CONSTRAINT "discount_codes_enrollment_id_fkey";

-- DropForeignKey
ALTER TABLE "marketing_engagements" DROP CONSTRAINT "marketing_engagements_campaign_id_fkey";

-- DropIndex
DROP INDEX "email_templates_shop_id_idx";

-- DropIndex
DROP INDEX "email_sends_enrollment_id_step_key";

-- DropIndex
DROP INDEX "enrollments_campaign_id_id_idx";

-- DropIndex
DROP INDEX "enrollments_campaign_id_customer_id_cycle_key";

-- DropIndex
DROP INDEX "discount_codes_enrollment_id_step_key";

-- DropIndex
DROP INDEX "flow_events_enrollment_id_kind_key";

-- AlterTable
ALTER TABLE "data_requests" DROP CONSTRAINT "data_requests_pkey",
ADD CONSTRAINT "data_requests_pkey" PRIMARY KEY ("shop_id", "id");

-- AlterTable
ALTER TABLE "email_templates" DROP CONSTRAINT "email_templates_pkey",
ADD CONSTRAINT "email_templates_pkey" PRIMARY KEY ("shop_id", "id");

-- AlterTable
ALTER TABLE "email_sends" DROP CONSTRAINT "email_sends_pkey",
ADD CONSTRAINT "email_sends_pkey" PRIMARY KEY ("shop_id", "id");

-- AlterTable
ALTER TABLE "campaigns" DROP CONSTRAINT "campaigns_pkey",
ADD CONSTRAINT "campaigns_pkey" PRIMARY KEY ("shop_id", "id");

-- AlterTable
ALTER TABLE "enrollments" DROP CONSTRAINT "enrollments_pkey",
ADD CONSTRAINT "enrollments_pkey" PRIMARY KEY ("shop_id", "id");

-- AlterTable
ALTER TABLE "discount_codes" DROP CONSTRAINT "discount_codes_pkey",
ADD CONSTRAINT "discount_codes_pkey" PRIMARY KEY ("shop_id", "id");

-- AlterTable
ALTER TABLE "flow_events" DROP CONSTRAINT "flow_events_pkey",
ADD CONSTRAINT "flow_events_pkey" PRIMARY KEY ("shop_id", "id");

-- AlterTable (the shop of each day's claim is its campaign's)
ALTER TABLE "marketing_engagements" DROP CONSTRAINT "marketing_engagements_pkey",
ADD COLUMN     "shop_id" INTEGER;
UPDATE "marketing_engagements" m SET "shop_id" = c."shop_id" FROM "campaigns" c WHERE c."id" = m."campaign_id";
ALTER TABLE "marketing_engagements" ALTER COLUMN "shop_id" SET NOT NULL,
ADD CONSTRAINT "marketing_engagements_pkey" PRIMARY KEY ("shop_id", "campaign_id", "day");

-- CreateIndex
CREATE UNIQUE INDEX "email_sends_shop_id_enrollment_id_step_key" ON "email_sends"("shop_id", "enrollment_id", "step");

-- CreateIndex
CREATE INDEX "enrollments_shop_id_campaign_id_id_idx" ON "enrollments"("shop_id", "campaign_id", "id" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "enrollments_shop_id_campaign_id_customer_id_cycle_key" ON "enrollments"("shop_id", "campaign_id", "customer_id", "cycle");

-- CreateIndex
CREATE UNIQUE INDEX "discount_codes_shop_id_enrollment_id_step_key" ON "discount_codes"("shop_id", "enrollment_id", "step");

-- CreateIndex
CREATE UNIQUE INDEX "flow_events_shop_id_enrollment_id_kind_key" ON "flow_events"("shop_id", "enrollment_id", "kind");

-- AddForeignKey
ALTER TABLE "email_sends" ADD CONSTRAINT "email_sends_shop_id_template_id_fkey" FOREIGN KEY ("shop_id", "template_id") REFERENCES "email_templates"("shop_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "email_sends" ADD CONSTRAINT "email_sends_shop_id_enrollment_id_fkey" FOREIGN KEY ("shop_id", "enrollment_id") REFERENCES "enrollments"("shop_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "enrollments" ADD CONSTRAINT "enrollments_shop_id_campaign_id_fkey" FOREIGN KEY ("shop_id", "campaign_id") REFERENCES "campaigns"("shop_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "discount_codes" ADD CONSTRAINT "discount_codes_shop_id_enrollment_id_fkey" FOREIGN KEY ("shop_id", "enrollment_id") REFERENCES "enrollments"("shop_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "marketing_engagements" ADD CONSTRAINT "marketing_engagements_shop_id_campaign_id_fkey" FOREIGN KEY ("shop_id", "campaign_id") REFERENCES "campaigns"("shop_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

