import { pathToFileURL } from "node:url";
import { DelayedError, UnrecoverableError, Worker, type Job } from "bullmq";
import { ZodError } from "zod";
import prisma, { pool } from "../app/db.server";
import { env } from "../app/env.server";
import { logger as rootLogger } from "../app/logger.server";
import { assertNoEviction, createRedisConnection } from "../app/redis.server";
import { adminQuery, ShopifyApiError, ShopifyThrottledError } from "../app/models/shopify-admin.server";
import { closeMailTransport, mailTransport } from "../app/email/mailer.server";
import { backfillShop, scoreAllShops, scoreShopJob } from "./processors/backfill";
import { sendEmailJob, sendEmailsJob, syncUnsubscribeJob } from "./processors/email";
import {
  deleteEndedCodesJob,
  dispatchStepsJob,
  enrollCampaignJob,
  enrollLiveCampaignsJob,
  fireFlowTriggersJob,
  reportMarketingJob,
  runStepsJob,
  syncMarketingActivityJob,
} from "./processors/engine";
import { maintenanceSweep } from "./processors/maintenance-sweep";
import { syncShopDetails } from "./processors/sync-shop-details";
import { processWebhookEvent } from "./processors/webhook-event";
import {
  QUEUE_NAMES,
  closeQueues,
  getQueue,
  jobKinds,
  parseJobPayload,
  queueOptions,
  RetryLater,
  type JobKind,
  type JobPayload,
} from "./queues";

const logger = rootLogger.child({ process: "worker" });

export type JobHandlers = { [K in JobKind]: (payload: JobPayload<K>, job: Job) => Promise<unknown> };

export const defaultHandlers: JobHandlers = {
  processWebhookEvent: (payload, job) => processWebhookEvent(payload, job),
  syncShopDetails: (payload) => syncShopDetails(payload, { admin: adminQuery }),
  backfillShop: (payload, job) => backfillShop(payload, { admin: adminQuery }, job),
  scoreShop: (payload) => scoreShopJob(payload),
  sendEmail: (payload, job) => sendEmailJob(payload, { transport: mailTransport() }, job),
  sendEmails: (payload, job) => sendEmailsJob(payload, { transport: mailTransport() }, job),
  syncUnsubscribe: (payload) => syncUnsubscribeJob(payload, { admin: adminQuery }),
  enrollCampaign: (payload) => enrollCampaignJob(payload),
  enrollLiveCampaigns: () => enrollLiveCampaignsJob(),
  dispatchSteps: () => dispatchStepsJob(),
  runSteps: (payload) => runStepsJob(payload, { admin: adminQuery, transport: mailTransport() }),
  deleteEndedCodes: () => deleteEndedCodesJob({ admin: adminQuery }),
  fireFlowTriggers: () => fireFlowTriggersJob({ admin: adminQuery }),
  syncMarketingActivity: (payload) => syncMarketingActivityJob(payload, { admin: adminQuery }),
  reportMarketing: () => reportMarketingJob({ admin: adminQuery }),
  scoreAllShops: () => scoreAllShops(),
  maintenanceSweep: () => maintenanceSweep(),
};

const MAINTENANCE_EVERY_MS = 60_000;
const SCORING_EVERY_MS = 24 * 3600 * 1000;
const DISPATCH_EVERY_MS = 60_000;
const ENROLL_EVERY_MS = 3600 * 1000;
const CODE_CLEANUP_EVERY_MS = 15 * 60 * 1000;
const FLOW_TRIGGERS_EVERY_MS = 60_000;
const MARKETING_EVERY_MS = 3600 * 1000;
const SCHEDULE_CHECK_MS = 5 * 60 * 1000;

export interface RunningWorkers {
  /** Stops taking jobs, lets active ones finish, then closes connections. */
  close(): Promise<void>;
}

/**
 * Starts one BullMQ worker per queue. Refuses a Redis that may evict keys, because an evicted
 * job is a lost webhook or a lost e-mail.
 */
/**
 * The repeating jobs. At start each is upserted; afterwards (`onlyMissing`) only those Redis lost
 * are set again, so a check does not run the others early.
 */
export async function ensureSchedules(onlyMissing = false): Promise<void> {
  const schedule = async (queue: Parameters<typeof getQueue>[0], id: string, every: number, kind: JobKind) => {
    if (onlyMissing && (await getQueue(queue).getJobScheduler(id))) return;
    await getQueue(queue).upsertJobScheduler(id, { every }, { name: jobKinds[kind].name, data: {} });
  };
  await schedule("maintenance", "maintenance-sweep", MAINTENANCE_EVERY_MS, "maintenanceSweep");
  await schedule("maintenance", "score-all-shops", SCORING_EVERY_MS, "scoreAllShops");
  if (env.DEMO_TIME_SCALE === undefined) {
    await schedule("engine", "dispatch-steps", DISPATCH_EVERY_MS, "dispatchSteps");
  } else {
    // `npm run demo` dispatches itself, once the previous steps are done: at its speed a step job
    // outlasts the dispatcher's lease (minutes of engine time), and an overlapping dispatch would
    // take the same steps again.
    await getQueue("engine").removeJobScheduler("dispatch-steps");
  }
  await schedule("engine", "delete-ended-codes", CODE_CLEANUP_EVERY_MS, "deleteEndedCodes");
  await schedule("engine", "fire-flow-triggers", FLOW_TRIGGERS_EVERY_MS, "fireFlowTriggers");
  await schedule("engine", "report-marketing", MARKETING_EVERY_MS, "reportMarketing");
  await schedule("engine", "enroll-live-campaigns", ENROLL_EVERY_MS, "enrollLiveCampaigns");
}

export interface WorkerOptions {
  /** How often to check that Redis still holds the schedules (default 5 minutes). */
  scheduleCheckMs?: number;
  /** Whether this process keeps the repeating jobs scheduled (default true; a test's stand-in worker may not). */
  schedules?: boolean;
}

export async function startWorkers(handlers: JobHandlers = defaultHandlers, options: WorkerOptions = {}): Promise<RunningWorkers> {
  const connection = createRedisConnection("worker");
  try {
    await assertNoEviction(connection);
    // Fails here, not at the first send, when production has no SMTP configured.
    if (handlers === defaultHandlers) logger.info({ mail: mailTransport().description }, "e-mail transport ready");
  } catch (error) {
    connection.disconnect();
    throw error;
  }

  const kindByName = new Map<string, JobKind>(Object.entries(jobKinds).map(([kind, spec]) => [spec.name, kind as JobKind]));
  const run = async (job: Job, token?: string) => {
    const kind = kindByName.get(job.name);
    if (!kind) throw new UnrecoverableError(`unknown job ${job.name}`);
    let payload: JobPayload<typeof kind>;
    try {
      payload = parseJobPayload(kind, job.data);
    } catch (error) {
      if (error instanceof ZodError) throw new UnrecoverableError(`invalid ${kind} payload: ${error.message}`);
      throw error;
    }
    try {
      return await (handlers[kind] as (p: typeof payload, j: Job) => Promise<unknown>)(payload, job);
    } catch (error) {
      // Waiting for Shopify is not a failure: run again later without spending an attempt.
      const delayMs = error instanceof RetryLater ? error.delayMs : error instanceof ShopifyThrottledError ? error.retryAfterMs : null;
      if (delayMs !== null) {
        await job.moveToDelayed(Date.now() + delayMs, token);
        throw new DelayedError();
      }
      if (error instanceof ShopifyApiError && error.permanent) throw new UnrecoverableError(error.message);
      throw error;
    }
  };

  const workers = QUEUE_NAMES.map((name) => {
    const worker = new Worker(name, run, { ...queueOptions(connection), concurrency: env.WORKER_CONCURRENCY });
    worker.on("failed", (job, error) => {
      const attempts = job?.opts.attempts ?? 1;
      const final = (job?.attemptsMade ?? attempts) >= attempts || error instanceof UnrecoverableError;
      logger[final ? "error" : "warn"](
        { queue: name, job: job?.name, jobId: job?.id, attempt: job?.attemptsMade, err: error.message },
        final ? "job failed for good; kept in the failed list" : "job failed; will retry",
      );
    });
    worker.on("error", (error) => logger.error({ queue: name, err: error.message }, "worker error"));
    return worker;
  });

  const scheduling = options.schedules ?? true;
  if (scheduling) await ensureSchedules();
  // Redis keeps nothing on disk: after a restart the schedules are gone with everything else.
  // They are set again on every reconnection and, should a flush go unnoticed, every so often.
  const reschedule = () =>
    ensureSchedules(true).catch((error: Error) => logger.warn({ err: error.message }, "could not set the schedules; will retry"));
  if (scheduling) connection.on("ready", reschedule);
  const timer = setInterval(() => scheduling && reschedule(), options.scheduleCheckMs ?? SCHEDULE_CHECK_MS);
  timer.unref();
  logger.info({ queues: QUEUE_NAMES, concurrency: env.WORKER_CONCURRENCY }, "worker started");

  return {
    async close() {
      clearInterval(timer);
      connection.off("ready", reschedule);
      await Promise.all(workers.map((worker) => worker.close()));
      await closeQueues();
      closeMailTransport();
      connection.disconnect();
    },
  };
}

/** On SIGTERM/SIGINT: drain active jobs (bounded), close everything, exit 0. */
export function exitGracefullyOnSignals(running: RunningWorkers, drainTimeoutMs = 30_000): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "draining active jobs");
    const timer = setTimeout(() => {
      logger.error({ drainTimeoutMs }, "active jobs did not finish in time; they will be picked up again as stalled");
      process.exit(1);
    }, drainTimeoutMs);
    timer.unref();
    try {
      await running.close();
      await prisma.$disconnect();
      await pool.end();
      logger.info("worker stopped");
      process.exit(0);
    } catch (error) {
      logger.error({ err: (error as Error).message }, "worker shutdown failed");
      process.exit(1);
    }
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

async function main(): Promise<void> {
  try {
    exitGracefullyOnSignals(await startWorkers());
  } catch (error) {
    logger.fatal({ err: (error as Error).message }, "worker could not start");
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main();
}
