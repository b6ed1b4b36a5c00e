-- AlterTable
ALTER TABLE "email_sends" ADD COLUMN     "claim_owner" INTEGER,
ADD COLUMN     "claim_token" UUID;

-- AlterTable
ALTER TABLE "discount_codes" ADD COLUMN     "creating_until" TIMESTAMPTZ(3);

