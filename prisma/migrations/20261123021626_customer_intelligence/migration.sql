-- AlterTable
ALTER TABLE "shops" ADD COLUMN     "customers_imported" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "orders_imported" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "products_imported" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "scored_at" TIMESTAMPTZ(3),
ADD COLUMN     "sync_bulk_operation" TEXT,
ADD COLUMN     "sync_error" TEXT,
ADD COLUMN     "sync_lines_done" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "sync_phase" TEXT,
ADD COLUMN     "sync_started_at" TIMESTAMPTZ(3),
ADD COLUMN     "sync_state" TEXT NOT NULL DEFAULT 'idle',
ADD COLUMN     "synced_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "customers" (
    "shop_id" INTEGER NOT NULL,
    "id" BIGINT NOT NULL,
    "email" TEXT,
    "first_name" TEXT,
    "last_name" TEXT,
    "locale" TEXT,
    "email_marketing_state" TEXT,
    "email_marketing_updated_at" TIMESTAMPTZ(3),
    "shopify_rfm_group" TEXT,
    "predicted_spend_tier" TEXT,
    "orders_count" INTEGER NOT NULL DEFAULT 0,
    "total_spent" DECIMAL(14,2) NOT NULL DEFAULT 0,
    "currency" TEXT,
    "first_order_at" TIMESTAMPTZ(3),
    "last_order_at" TIMESTAMPTZ(3),
    "median_gap_days" REAL,
    "order_hours" INTEGER[],
    "r_score" SMALLINT,
    "f_score" SMALLINT,
    "m_score" SMALLINT,
    "last_checkout_at" TIMESTAMPTZ(3),
    "suppressed_at" TIMESTAMPTZ(3),
    "last_contacted_at" TIMESTAMPTZ(3),
    "shopify_updated_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "customers_pkey" PRIMARY KEY ("shop_id","id")
);

-- CreateTable
CREATE TABLE "orders" (
    "shop_id" INTEGER NOT NULL,
    "id" BIGINT NOT NULL,
    "customer_id" BIGINT,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "total" DECIMAL(14,2) NOT NULL,
    "refunded" DECIMAL(14,2) NOT NULL DEFAULT 0,
    "currency" TEXT NOT NULL,
    "discount_codes" TEXT[],
    "product_ids" BIGINT[],
    "cancelled_at" TIMESTAMPTZ(3),
    "shopify_updated_at" TIMESTAMPTZ(3),

    CONSTRAINT "orders_pkey" PRIMARY KEY ("shop_id","id")
);

-- CreateTable
CREATE TABLE "products" (
    "shop_id" INTEGER NOT NULL,
    "id" BIGINT NOT NULL,
    "title" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "image_url" TEXT,
    "price" DECIMAL(14,2) NOT NULL,
    "unit_cost" DECIMAL(14,2),
    "status" TEXT NOT NULL,
    "published" BOOLEAN NOT NULL,
    "available" BOOLEAN NOT NULL,
    "product_type" TEXT NOT NULL,
    "vendor" TEXT NOT NULL,
    "collections" TEXT[],
    "shopify_updated_at" TIMESTAMPTZ(3),

    CONSTRAINT "products_pkey" PRIMARY KEY ("shop_id","id")
);

-- CreateTable
CREATE TABLE "data_requests" (
    "id" BIGSERIAL NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "customer_id" BIGINT NOT NULL,
    "request_id" BIGINT NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL,
    "export" JSONB NOT NULL,

    CONSTRAINT "data_requests_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "customers_shop_id_last_order_at_idx" ON "customers"("shop_id", "last_order_at");

-- CreateIndex
CREATE INDEX "orders_shop_id_customer_id_created_at_idx" ON "orders"("shop_id", "customer_id", "created_at");

-- CreateIndex
CREATE INDEX "data_requests_shop_id_customer_id_idx" ON "data_requests"("shop_id", "customer_id");

-- CreateIndex
CREATE UNIQUE INDEX "data_requests_shop_id_request_id_key" ON "data_requests"("shop_id", "request_id");

-- AddForeignKey
ALTER TABLE "customers" ADD CONSTRAINT "customers_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "orders" ADD CONSTRAINT "orders_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "products" ADD CONSTRAINT "products_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "data_requests" ADD CONSTRAINT "data_requests_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE CASCADE;

