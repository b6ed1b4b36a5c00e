import { Queue, type JobsOptions } from "bullmq";
import type { Redis } from "ioredis";
import { z } from "zod";
import { env } from "../app/env.server";
import { createRedisConnection } from "../app/redis.server";
import { withTimeout } from "../app/utils/timeout";

/**
 * Queue names, job payload schemas and typed enqueue helpers: the one contract between the code
 * that enqueues (web app, schedulers, processors) and the worker that runs jobs.
 *
 * Payloads carry ids only, never personal data. Redis carries work, never the only copy of a
 * fact: every job can be re-derived from PostgreSQL by a sweeper if Redis loses it.
 */

export const QUEUE_NAMES = ["webhooks", "shops", "sync", "email", "engine", "maintenance"] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

const id = z.string().regex(/^[1-9]\d{0,18}$/, "a positive integer id as a string");

export const jobKinds = {
  /** Apply one recorded webhook delivery (webhook_events row) to our state. */
  processWebhookEvent: {
    queue: "webhooks",
    name: "process-webhook-event",
    payload: z.object({ webhookEventId: id }),
    // Deterministic: a repeated delivery or a sweeper re-enqueue of the same row is one job.
    options: (p: { webhookEventId: string }): JobsOptions => ({ jobId: `webhook-event-${p.webhookEventId}` }),
  },
  /** Read the shop's name, timezone, currency, contact e-mail and address from the Admin API. */
  syncShopDetails: {
    queue: "shops",
    name: "sync-shop-details",
    payload: z.object({ shopId: z.number().int().positive() }),
    // One pending refresh per shop; a later install or request after it finished runs again.
    options: (p: { shopId: number }): JobsOptions => ({ deduplication: { id: `shop-details-${p.shopId}` } }),
  },
  /** Continue the shop's back-fill state machine (workers/processors/backfill.ts). */
  backfillShop: {
    queue: "sync",
    name: "backfill-shop",
    payload: z.object({ shopId: z.number().int().positive() }),
    // One back-fill job per shop at a time, including while it waits for Shopify (delayed).
    options: (p: { shopId: number }): JobsOptions => ({ deduplication: { id: `backfill-${p.shopId}` } }),
  },
  /** Recompute the shop's R/F/M scores. */
  scoreShop: {
    queue: "sync",
    name: "score-shop",
    payload: z.object({ shopId: z.number().int().positive() }),
    options: (p: { shopId: number }): JobsOptions => ({ deduplication: { id: `score-${p.shopId}` } }),
  },
  /** Re-check, render and send one row of the send ledger (app/models/email-sends.server.ts). */
  sendEmail: {
    queue: "email",
    name: "send-email",
    payload: z.object({ shopId: z.number().int().positive(), sendId: id }),
    // Deterministic: the ledger row is the effect; a second job for it would find it sent anyway.
    options: (p: { shopId: number; sendId: string }): JobsOptions => ({ jobId: `send-${p.shopId}-${p.sendId}` }),
  },
  /** The same for up to 100 rows of one shop: one query per step for all of them (deliverSends). */
  sendEmails: {
    queue: "email",
    name: "send-emails",
    payload: z.object({ shopId: z.number().int().positive(), sendIds: z.array(id).min(1).max(100) }),
    options: (p: { shopId: number; sendIds: string[] }): JobsOptions => ({
      jobId: `sends-${p.shopId}-${p.sendIds[0]}-${p.sendIds.length}`,
    }),
  },
  /** Report an unsubscribe to Shopify (a consent_updates row). */
  syncUnsubscribe: {
    queue: "email",
    name: "sync-unsubscribe",
    payload: z.object({ shopId: z.number().int().positive(), customerId: id }),
    options: (p: { shopId: number; customerId: string }): JobsOptions => ({ deduplication: { id: `consent-${p.shopId}-${p.customerId}` } }),
  },
  /** Daily: a scoreShop job for every installed shop. */
  scoreAllShops: {
    queue: "maintenance",
    name: "score-all-shops",
    payload: z.object({}),
    options: (): JobsOptions => ({}),
  },
  /** Enter the customers who qualify today into a Live campaign (app/models/enrollments.server.ts). */
  enrollCampaign: {
    queue: "engine",
    name: "enroll-campaign",
    payload: z.object({ shopId: z.number().int().positive(), campaignId: z.number().int().positive() }),
    options: (p: { campaignId: number }): JobsOptions => ({ deduplication: { id: `enroll-${p.campaignId}` } }),
  },
  /** Hourly: an enrollCampaign job for every Live campaign. */
  enrollLiveCampaigns: {
    queue: "engine",
    name: "enroll-live-campaigns",
    payload: z.object({}),
    options: (): JobsOptions => ({}),
  },
  /** Every minute: lease due steps into runSteps jobs, and complete finished enrollments. */
  dispatchSteps: {
    queue: "engine",
    name: "dispatch-steps",
    payload: z.object({}),
    options: (): JobsOptions => ({}),
  },
  /** Run the due steps of up to 50 enrollments of one shop (app/models/steps.server.ts). */
  runSteps: {
    queue: "engine",
    name: "run-steps",
    payload: z.object({ shopId: z.number().int().positive(), enrollmentIds: z.array(id).min(1).max(100) }),
    options: (p: { shopId: number; enrollmentIds: string[] }): JobsOptions => ({
      deduplication: { id: `steps-${p.shopId}-${p.enrollmentIds[0]}-${p.enrollmentIds.length}` },
    }),
  },
  /** Every 15 minutes: delete from Shopify the codes nobody can use any more, shop by shop. */
  deleteEndedCodes: {
    queue: "engine",
    name: "delete-ended-codes",
    payload: z.object({}),
    options: (): JobsOptions => ({}),
  },
  /** Register a campaign with Shopify Marketing, or update its status (Live, Paused, deleted). */
  syncMarketingActivity: {
    queue: "engine",
    name: "sync-marketing-activity",
    payload: z.object({ shopId: z.number().int().positive(), campaignId: z.number().int().positive() }),
    options: (): JobsOptions => ({}),
  },
  /** Hourly: every registered campaign's status synced and its finished days reported to Shopify Marketing. */
  reportMarketing: {
    queue: "engine",
    name: "report-marketing",
    payload: z.object({}),
    options: (): JobsOptions => ({}),
  },
  /** Every minute: record and fire the Shopify Flow trigger events of shops that turned them on. */
  fireFlowTriggers: {
    queue: "engine",
    name: "fire-flow-triggers",
    payload: z.object({}),
    options: (): JobsOptions => ({}),
  },
  /** Re-derive work Redis may have lost and purge expired records (workers/processors/maintenance-sweep.ts). */
  maintenanceSweep: {
    queue: "maintenance",
    name: "maintenance-sweep",
    payload: z.object({}),
    options: (): JobsOptions => ({}),
  },
} as const;

export type JobKind = keyof typeof jobKinds;
export type JobPayload<K extends JobKind> = z.infer<(typeof jobKinds)[K]["payload"]>;

/** Retries with exponential backoff; failures stay visible in Redis for 30 days, never dropped. */
const defaultJobOptions: JobsOptions = {
  attempts: 10,
  backoff: { type: "exponential", delay: 2_000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

export function queueOptions(connection: Redis) {
  return { connection, prefix: env.QUEUE_PREFIX, defaultJobOptions };
}

let producerConnection: Redis | undefined;
const queues = new Map<QueueName, Queue>();

export function getQueue(name: QueueName): Queue {
  let queue = queues.get(name);
  if (!queue) {
    producerConnection ??= createRedisConnection("producer");
    queue = new Queue(name, queueOptions(producerConnection));
    queue.on("error", () => {}); // connection errors surface as rejected add() calls
    queues.set(name, queue);
  }
  return queue;
}

/** How long an enqueue may wait for Redis before the caller gets an error (and e.g. answers 5xx). */
const ENQUEUE_TIMEOUT_MS = 2_000;

function prepare<K extends JobKind>(kind: K, payload: JobPayload<K>) {
  const spec = jobKinds[kind];
  const data = spec.payload.parse(payload);
  const options = (spec.options as (p: typeof data) => JobsOptions)(data);
  return { queue: getQueue(spec.queue), name: spec.name, data, options };
}

function bounded<T>(kind: JobKind, work: Promise<T>): Promise<T> {
  return withTimeout(work, ENQUEUE_TIMEOUT_MS, `Redis did not accept ${kind} within ${ENQUEUE_TIMEOUT_MS} ms`);
}

export async function enqueue<K extends JobKind>(kind: K, payload: JobPayload<K>): Promise<void> {
  const { queue, name, data, options } = prepare(kind, payload);
  await bounded(kind, queue.add(name, data, options));
}

/**
 * For job kinds with a deterministic id: makes sure the work runs again. Adds the job when Redis
 * no longer has it, re-runs it when it already finished (failed, or completed without effect),
 * and leaves a waiting, delayed or active job alone.
 */
export async function reviveJob<K extends JobKind>(kind: K, payload: JobPayload<K>): Promise<"added" | "retried" | "pending"> {
  const { queue, name, data, options } = prepare(kind, payload);
  if (!options.jobId) throw new Error(`${kind} has no deterministic job id to revive`);
  return bounded(
    kind,
    (async () => {
      const job = await queue.getJob(options.jobId!);
      if (!job) {
        await queue.add(name, data, options);
        return "added" as const;
      }
      const state = await job.getState();
      if (state === "failed" || state === "completed") {
        await job.retry(state);
        return "retried" as const;
      }
      return "pending" as const;
    })(),
  );
}

/**
 * Thrown by a processor that must run again later without it counting as a failed attempt:
 * waiting for Shopify (a bulk operation, a throttled bucket). The worker delays the job.
 */
export class RetryLater extends Error {
  override name = "RetryLater";
  constructor(
    readonly delayMs: number,
    reason: string,
  ) {
    super(reason);
  }
}

/** Re-validates a payload on the worker side: Redis content is input like any other. */
export function parseJobPayload<K extends JobKind>(kind: K, data: unknown): JobPayload<K> {
  return jobKinds[kind].payload.parse(data) as JobPayload<K>;
}

export async function closeQueues(): Promise<void> {
  await Promise.all([...queues.values()].map((queue) => queue.close()));
  queues.clear();
  producerConnection?.disconnect();
  producerConnection = undefined;
}
