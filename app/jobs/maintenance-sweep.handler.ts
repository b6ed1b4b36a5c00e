import { shopsAwaitingBackfill } from "../models/backfill.server";
import { interruptAbandonedSends, stalePendingSends } from "../models/send-ledger.server";
import { pendingConsentUpdates } from "../models/suppressions.server";
import { claimShopsNeedingDetails } from "../models/shop.server";
import { findStaleUnprocessedWebhookEvents, purgeWebhookEvents } from "../models/webhook-events.server";
import { enqueue, reviveJob } from "./client.server";
import { eachIsolated } from "./each-isolated";

/** A recorded webhook still unapplied after this long has probably lost its job. */
export const LOST_WEBHOOK_JOB_AFTER_MS = 2 * 60 * 1000;
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

type SweepPart = (result: SweepResult) => Promise<void>;

const reviveWebhookJobs: SweepPart = async (result) => {
  const stale = await findStaleUnprocessedWebhookEvents(LOST_WEBHOOK_JOB_AFTER_MS, BATCH);
  await eachIsolated(stale, async (id) => {
    if ((await reviveJob("processWebhookEvent", { webhookEventId: id.toString() })) !== "pending") result.webhookJobsRevived++;
  });
};

const requestShopDetails: SweepPart = async (result) => {
  const shops = await claimShopsNeedingDetails(BATCH);
  result.shopDetailsRequested = shops.length;
  await eachIsolated(shops, (shopId) => enqueue("syncShopDetails", { shopId }));
};

// A back-fill's job deduplicates per shop, so re-adding one that is running or waiting is a no-op.
const resumeBackfills: SweepPart = async (result) => {
  const backfills = await shopsAwaitingBackfill();
  result.backfillsResumed = backfills.length;
  await eachIsolated(backfills, (shopId) => enqueue("backfillShop", { shopId }));
};

// Per shop, in jobs of up to 50 rows (a send already taken by another job is not sent twice: the claim decides).
const reviveSendJobs: SweepPart = async (result) => {
  const staleSends = new Map<number, bigint[]>();
  for (const { shopId, sendId } of await stalePendingSends(LOST_WEBHOOK_JOB_AFTER_MS, BATCH)) {
    if (!staleSends.has(shopId)) staleSends.set(shopId, []);
    staleSends.get(shopId)!.push(sendId);
  }
  await eachIsolated(staleSends, async ([shopId, sends]) => {
    for (let start = 0; start < sends.length; start += SEND_JOB_SIZE) {
      const sendIds = sends.slice(start, start + SEND_JOB_SIZE).map(String);
      if ((await reviveJob("sendEmails", { shopId, sendIds })) !== "pending") result.sendJobsRevived += sendIds.length;
    }
  });
};

const interruptSends: SweepPart = async (result) => {
  result.sendsInterrupted = await interruptAbandonedSends();
};

const queueConsentUpdates: SweepPart = async (result) => {
  const consents = await pendingConsentUpdates(LOST_WEBHOOK_JOB_AFTER_MS, BATCH);
  result.consentUpdatesQueued = consents.length;
  await eachIsolated(consents, (consent) => enqueue("syncUnsubscribe", { shopId: consent.shopId, customerId: String(consent.customerId) }));
};

const purgeWebhooks: SweepPart = async (result) => {
  result.webhookEventsPurged = await purgeWebhookEvents(APPLIED_WEBHOOK_RETENTION_MS, ANY_WEBHOOK_RETENTION_MS);
};

/**
 * PostgreSQL is the record; Redis only carries work. This periodic sweep re-derives work that
 * Redis may have lost or given up on during an outage: webhook jobs (re-added, or re-run when
 * they finished without applying the event), shop-detail refreshes, back-fills left half-way,
 * e-mails still pending and unsubscribes not yet reported to Shopify.
 * It also enforces the retention of webhook records. Each part, and each shop within a part,
 * runs whatever the others do; the first error is thrown at the end, so the job reports it.
 */
export async function run(): Promise<SweepResult> {
  const result: SweepResult = {
    webhookJobsRevived: 0,
    webhookEventsPurged: 0,
    shopDetailsRequested: 0,
    backfillsResumed: 0,
    sendJobsRevived: 0,
    sendsInterrupted: 0,
    consentUpdatesQueued: 0,
  };
  const parts = [
    reviveWebhookJobs,
    requestShopDetails,
    resumeBackfills,
    reviveSendJobs,
    interruptSends,
    queueConsentUpdates,
    purgeWebhooks,
  ];
  await eachIsolated(parts, (part) => part(result));
  return result;
}
