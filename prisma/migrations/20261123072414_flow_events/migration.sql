-- CreateTable
CREATE TABLE "flow_events" (
    "id" BIGSERIAL NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "enrollment_id" BIGINT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "flow_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "flow_events_shop_id_status_idx" ON "flow_events"("shop_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "flow_events_enrollment_id_kind_key" ON "flow_events"("enrollment_id", "kind");

-- AddForeignKey
ALTER TABLE "flow_events" ADD CONSTRAINT "flow_events_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shops"("id") ON DELETE CASCADE ON UPDATE CASCADE;

