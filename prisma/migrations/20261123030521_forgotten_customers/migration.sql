-- AlterTable
ALTER TABLE "customers" ALTER COLUMN "median_gap_days" SET DATA TYPE DOUBLE PRECISION;

-- CreateTable
CREATE TABLE "forgotten_customers" (
    "shop_id" INTEGER NOT NULL,
    "customer_id" BIGINT NOT NULL,
    "forgotten_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "forgotten_customers_pkey" PRIMARY KEY ("shop_id","customer_id")
);

-- AddForeignKey
ALTER TABLE "forgotten_customers" ADD CONSTRAINT "forgotten_customers_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE CASCADE;

