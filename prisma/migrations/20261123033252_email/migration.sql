-- AlterTable
ALTER TABLE "shops" ADD COLUMN     "primary_domain_url" TEXT;

-- AlterTable
ALTER TABLE "products" ADD COLUMN     "orders_count" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "product_pairs" (
    "shop_id" INTEGER NOT NULL,
    "product_id" BIGINT NOT NULL,
    "related_id" BIGINT NOT NULL,
    "orders" INTEGER NOT NULL,

    CONSTRAINT "product_pairs_pkey" PRIMARY KEY ("shop_id","product_id","related_id")
);

-- CreateTable
CREATE TABLE "email_templates" (
    "id" SERIAL NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "content" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "email_templates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "email_sends" (
    "id" BIGSERIAL NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "customer_id" BIGINT NOT NULL,
    "template_id" INTEGER NOT NULL,
    "campaign" TEXT NOT NULL,
    "step" SMALLINT NOT NULL,
    "offer" JSONB,
    "test_recipient" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "message_id" TEXT,
    "links" TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sending_at" TIMESTAMPTZ(3),
    "sent_at" TIMESTAMPTZ(3),
    "opened_at" TIMESTAMPTZ(3),
    "first_clicked_at" TIMESTAMPTZ(3),
    "last_clicked_at" TIMESTAMPTZ(3),
    "clicks" INTEGER NOT NULL DEFAULT 0,
    "unsubscribed_at" TIMESTAMPTZ(3),

    CONSTRAINT "email_sends_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "email_suppressions" (
    "shop_id" INTEGER NOT NULL,
    "email_hash" BYTEA NOT NULL,
    "reason" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "email_suppressions_pkey" PRIMARY KEY ("shop_id","email_hash")
);

-- CreateTable
CREATE TABLE "consent_updates" (
    "shop_id" INTEGER NOT NULL,
    "customer_id" BIGINT NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "applied_at" TIMESTAMPTZ(3),

    CONSTRAINT "consent_updates_pkey" PRIMARY KEY ("shop_id","customer_id")
);

-- CreateIndex
CREATE INDEX "email_templates_shop_id_idx" ON "email_templates"("shop_id");

-- CreateIndex
CREATE INDEX "email_sends_shop_id_customer_id_idx" ON "email_sends"("shop_id", "customer_id");

-- CreateIndex
CREATE INDEX "email_sends_status_created_at_idx" ON "email_sends"("status", "created_at");

-- AddForeignKey
ALTER TABLE "product_pairs" ADD CONSTRAINT "product_pairs_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "email_templates" ADD CONSTRAINT "email_templates_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "email_sends" ADD CONSTRAINT "email_sends_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "email_sends" ADD CONSTRAINT "email_sends_template_id_fkey" FOREIGN KEY ("template_id") REFERENCES "email_templates"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "email_suppressions" ADD CONSTRAINT "email_suppressions_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "consent_updates" ADD CONSTRAINT "consent_updates_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE CASCADE;

