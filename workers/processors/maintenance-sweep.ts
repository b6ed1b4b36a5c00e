import { findShopsNeedingDetails } from "../../app/models/shop.server";
import {
  findStaleUnprocessedWebhookEvents,
  purgeProcessedWebhookEvents,
} from "../../app/models/webhook-events.server";
import { enqueue } from "../queues";

/** A recorded webhook without a processed mark after this long has probably lost its job. */
export const LOST_WEBHOOK_JOB_AFTER_MS = 2 * 60 * 1000;
/** Processed webhook ids are kept this long to recognise Shopify's late repeats (up to 48 h). */
export const WEBHOOK_ID_RETENTION_MS = 7 * 24 * 3600 * 1000;
const BATCH = 1_000;

export interface SweepResult {
  webhookJobsRequeued: number;
  webhookEventsPurged: number;
  shopDetailsRequested: number;
}

/**
 * PostgreSQL is the record; Redis only carries work. This periodic sweep re-derives work that
 * Redis may have lost: webhook jobs (deterministic job ids make re-adding an existing job a
 * no-op) and shop-detail refreshes. It also purges webhook records past their retention.
 */
export async function maintenanceSweep(): Promise<SweepResult> {
  const stale = await findStaleUnprocessedWebhookEvents(LOST_WEBHOOK_JOB_AFTER_MS, BATCH);
  for (const id of stale) await enqueue("processWebhookEvent", { webhookEventId: id.toString() });

  const shops = await findShopsNeedingDetails(BATCH);
  for (const shopId of shops) await enqueue("syncShopDetails", { shopId });

  const purged = await purgeProcessedWebhookEvents(new Date(Date.now() - WEBHOOK_ID_RETENTION_MS));
  return { webhookJobsRequeued: stale.length, webhookEventsPurged: purged, shopDetailsRequested: shops.length };
}
