-- AlterTable
ALTER TABLE "consent_updates" ADD COLUMN     "error" TEXT,
ADD COLUMN     "failed_at" TIMESTAMPTZ(3);

