-- AlterTable
ALTER TABLE "email_sends" ADD COLUMN     "enrollment_id" BIGINT;

-- CreateTable
CREATE TABLE "enrollments" (
    "id" BIGSERIAL NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "campaign_id" INTEGER NOT NULL,
    "customer_id" BIGINT NOT NULL,
    "cycle" INTEGER NOT NULL,
    "holdout" BOOLEAN NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "exit_reason" TEXT,
    "entered_at" TIMESTAMPTZ(3) NOT NULL,
    "next_step" SMALLINT,
    "next_step_due_at" TIMESTAMPTZ(3),
    "last_step_sent" SMALLINT NOT NULL DEFAULT 0,
    "last_step_sent_at" TIMESTAMPTZ(3),
    "last_clicked_at" TIMESTAMPTZ(3),
    "converted_at" TIMESTAMPTZ(3),
    "conversion_order_id" BIGINT,
    "ended_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "enrollments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "discount_codes" (
    "id" BIGSERIAL NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "enrollment_id" BIGINT NOT NULL,
    "step" SMALLINT NOT NULL,
    "code" TEXT NOT NULL,
    "offer" JSONB NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'reserved',
    "shopify_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "discount_codes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "enrollments_status_next_step_due_at_idx" ON "enrollments"("status", "next_step_due_at");

-- CreateIndex
CREATE INDEX "enrollments_shop_id_customer_id_idx" ON "enrollments"("shop_id", "customer_id");

-- CreateIndex
CREATE UNIQUE INDEX "enrollments_campaign_id_customer_id_cycle_key" ON "enrollments"("campaign_id", "customer_id", "cycle");

-- CreateIndex
CREATE INDEX "discount_codes_status_ends_at_idx" ON "discount_codes"("status", "ends_at");

-- CreateIndex
CREATE UNIQUE INDEX "discount_codes_enrollment_id_step_key" ON "discount_codes"("enrollment_id", "step");

-- CreateIndex
CREATE UNIQUE INDEX "discount_codes_shop_id_code_key" ON "discount_codes"("shop_id", "code");

-- CreateIndex
CREATE UNIQUE INDEX "email_sends_enrollment_id_step_key" ON "email_sends"("enrollment_id", "step");

-- AddForeignKey
ALTER TABLE "email_sends" ADD CONSTRAINT "email_sends_enrollment_id_fkey" FOREIGN KEY ("enrollment_id") REFERENCES "enrollments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "enrollments" ADD CONSTRAINT "enrollments_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "discount_codes" ADD CONSTRAINT "discount_codes_enrollment_id_fkey" FOREIGN KEY ("enrollment_id") REFERENCES "enrollments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

