import { shopsAwaitingBackfill } from "../../app/models/backfill.server";
import { interruptAbandonedSends, stalePendingSends } from "../../app/models/send-ledger.server";
import { pendingConsentUpdates } from "../../app/models/suppressions.server";
import { claimShopsNeedingDetails } from "../../app/models/shop.server";
import { findStaleUnprocessedWebhookEvents, purgeWebhookEvents } from "../../app/models/webhook-events.server";
import { enqueue, reviveJob } from "../queues";

/** A recorded webhook still unapplied after this long has probably lost its job. */
export const LOST_WEBHOOK_JOB_AFTER_MS = 2 * 60 * 1000;
/** Longer than any SMTP timeout of a send in flight (nodemailer's longest is 10 minutes). */
export const ABANDONED_SEND_AFTER_MS = 30 * 60 * 1000;
/** Applied webhook ids are kept this long to recognise Shopify's late repeats (up to 48 h). */
export const APPLIED_WEBHOOK_RETENTION_MS = 7 * 24 * 3600 * 1000;
/** No webhook body, applied or not, is kept longer than this. */
export const ANY_WEBHOOK_RETENTION_MS = 30 * 24 * 3600 * 1000;
const BATCH = 1_000;
const SEND_JOB_SIZE = 50;

export interface SweepResult {
  webhookJobsRevived: number;
  webhookEventsPurged: number;
  shopDetailsRequested: number;
  backfillsResumed: number;
  sendJobsRevived: number;
  sendsInterrupted: number;
  consentUpdatesQueued: number;
}

/**
 * PostgreSQL is the record; Redis only carries work. This periodic sweep re-derives work that
 * Redis may have lost or given up on during an outage: webhook jobs (re-added, or re-run when
 * they finished without applying the event), shop-detail refreshes, back-fills left half-way,
 * e-mails still pending and unsubscribes not yet reported to Shopify.
 * It also enforces the retention of webhook records.
 */
export async function maintenanceSweep(): Promise<SweepResult> {
  const stale = await findStaleUnprocessedWebhookEvents(LOST_WEBHOOK_JOB_AFTER_MS, BATCH);
  let revived = 0;
  for (const id of stale) {
    if ((await reviveJob("processWebhookEvent", { webhookEventId: id.toString() })) !== "pending") revived++;
  }

  const shops = await claimShopsNeedingDetails(BATCH);
  for (const shopId of shops) await enqueue("syncShopDetails", { shopId });

  // A back-fill's job deduplicates per shop, so re-adding one that is running or waiting is a no-op.
  const backfills = await shopsAwaitingBackfill();
  for (const shopId of backfills) await enqueue("backfillShop", { shopId });

  let sendJobsRevived = 0;
  // Per shop, in jobs of up to 50 rows (a send already taken by another job is not sent twice: the claim decides).
  const staleSends = new Map<number, bigint[]>();
  for (const { shopId, sendId } of await stalePendingSends(LOST_WEBHOOK_JOB_AFTER_MS, BATCH)) {
    if (!staleSends.has(shopId)) staleSends.set(shopId, []);
    staleSends.get(shopId)!.push(sendId);
  }
  for (const [shopId, sends] of staleSends) {
    for (let start = 0; start < sends.length; start += SEND_JOB_SIZE) {
      const sendIds = sends.slice(start, start + SEND_JOB_SIZE).map(String);
      if ((await reviveJob("sendEmails", { shopId, sendIds })) !== "pending") sendJobsRevived += sendIds.length;
    }
  }
  const sendsInterrupted = await interruptAbandonedSends(ABANDONED_SEND_AFTER_MS);
  const consents = await pendingConsentUpdates(LOST_WEBHOOK_JOB_AFTER_MS, BATCH);
  for (const consent of consents) await enqueue("syncUnsubscribe", { shopId: consent.shopId, customerId: String(consent.customerId) });

  const purged = await purgeWebhookEvents(APPLIED_WEBHOOK_RETENTION_MS, ANY_WEBHOOK_RETENTION_MS);
  return {
    webhookJobsRevived: revived,
    webhookEventsPurged: purged,
    shopDetailsRequested: shops.length,
    backfillsResumed: backfills.length,
    sendJobsRevived,
    sendsInterrupted,
    consentUpdatesQueued: consents.length,
  };
}
