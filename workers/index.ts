import { pathToFileURL } from "node:url";
import { DelayedError, UnrecoverableError, Worker, type Job } from "bullmq";
import { ZodError } from "zod";
import prisma, { pool } from "../app/db.server";
import { closeMailTransport, mailTransport } from "../app/email/mailer.server";
import { env } from "../app/env.server";
import { failedForGood, RetryLater } from "../app/jobs/attempts";
import { closeQueues, getQueue, queueOptions } from "../app/jobs/client.server";
import { QUEUE_NAMES, type QueueName } from "../app/jobs/define";
import {
  defaultHandlers,
  jobKindNamed,
  loadHandlers,
  parseJobPayload,
  scheduledJobs,
  type JobHandlers,
  type JobKind,
} from "../app/jobs/registry";
import { logger as rootLogger } from "../app/logger.server";
import { releaseSendOwner } from "../app/models/send-owner.server";
import { ShopifyApiError, ShopifyThrottledError } from "../app/models/shopify-admin.server";
import { assertNoEviction, createRedisConnection, type RedisConnection } from "../app/redis.server";

/** The worker process: one BullMQ worker per queue, running the job definitions of app/jobs. */

const logger = rootLogger.child({ process: "worker" });

const SCHEDULE_CHECK_MS = 5 * 60 * 1000;

export interface RunningWorkers {
  /** Stops taking jobs, lets active ones finish, then closes connections. */
  close(): Promise<void>;
}

export interface WorkerOptions {
  /** How often to check that Redis still holds the schedules (default 5 minutes). */
  scheduleCheckMs?: number;
  /** Whether this process keeps the repeating jobs scheduled (default true; a test's stand-in worker may not). */
  schedules?: boolean;
  /** Aborted while starting (a SIGTERM during start-up): what was opened is closed, no job is taken, and the start rejects with StartAborted. */
  signal?: AbortSignal;
}

export class StartAborted extends Error {
  override name = "StartAborted";
  constructor() {
    super("the worker was stopped while it started");
  }
}

/**
 * Starts one BullMQ worker per queue. Refuses a Redis that may evict keys, because an evicted
 * job is a lost webhook or a lost e-mail. The workers take jobs only once everything is in place.
 */
export async function startWorkers(handlers: JobHandlers = defaultHandlers, options: WorkerOptions = {}): Promise<RunningWorkers> {
  const opened: (() => Promise<void> | void)[] = [];
  const closeOpened = async () => {
    for (const close of opened.splice(0).reverse()) await close();
  };
  const checkpoint = async () => {
    if (!options.signal?.aborted) return;
    await closeOpened();
    throw new StartAborted();
  };
  const connection = await openWorkerConnection(handlers === defaultHandlers, options.signal);
  opened.push(() => connection.disconnect(), closeMailTransport, closeQueues);
  await checkpoint();
  // Loaded before the first job, as a process that starts is one that may be stopped: while it
  // loads code it cannot answer tsx's signal relay in time, and tsx would kill it undrained.
  await loadHandlers();
  await checkpoint();
  const run = jobRunner(handlers);
  const workers = QUEUE_NAMES.map((name) => startQueueWorker(name, run, connection));
  opened.push(() => Promise.all(workers.map((worker) => worker.close())).then(() => releaseSendOwner()));
  for (const worker of workers) void worker.run().catch((error: Error) => logger.error({ err: error.message }, "worker stopped running"));
  // From here a stop drains the jobs taken (close), like any stop.
  const schedules = await keepSchedules(connection, options).catch(async (error: unknown) => {
    await checkpoint();
    throw error;
  });
  opened.push(() => schedules.stop());
  await checkpoint();
  logger.info({ queues: QUEUE_NAMES, concurrency: env.WORKER_CONCURRENCY }, "worker started");

  // Stops taking jobs, lets active ones finish (their claims settled; others may then take this
  // process for gone), then closes connections.
  return { close: closeOpened };
}

async function openWorkerConnection(withMail: boolean, signal?: AbortSignal): Promise<RedisConnection> {
  const connection = createRedisConnection("worker");
  // A Redis that does not answer must not hold a stopping worker: closing fails what waits on it.
  const disconnect = () => connection.disconnect();
  signal?.addEventListener("abort", disconnect, { once: true });
  try {
    await assertNoEviction(connection);
    // Fails here, not at the first send, when production has no SMTP configured.
    if (withMail) logger.info({ mail: mailTransport().description }, "e-mail transport ready");
  } catch (error) {
    connection.disconnect();
    if (signal?.aborted) throw new StartAborted();
    throw error;
  } finally {
    signal?.removeEventListener("abort", disconnect);
  }
  return connection;
}

type JobRunner = (job: Job, token?: string) => Promise<unknown>;

/** Runs a job by its name's definition, with a payload checked again (Redis content is input like any other). */
function jobRunner(handlers: JobHandlers): JobRunner {
  return async (job, token) => {
    const kind = jobKindNamed(job.name);
    if (!kind) throw new UnrecoverableError(`unknown job ${job.name}`);
    const payload = payloadOf(kind, job.data);
    try {
      return await (handlers[kind] as (p: typeof payload, j: Job) => Promise<unknown>)(payload, job);
    } catch (error) {
      throw await asWorkerError(error, job, token);
    }
  };
}

function payloadOf(kind: JobKind, data: unknown) {
  try {
    return parseJobPayload(kind, data);
  } catch (error) {
    if (error instanceof ZodError) throw new UnrecoverableError(`invalid ${kind} payload: ${error.message}`);
    throw error;
  }
}

/** What BullMQ should see of a handler's error. */
async function asWorkerError(error: unknown, job: Job, token?: string): Promise<unknown> {
  // Waiting for Shopify is not a failure: run again later without spending an attempt.
  const delayMs = error instanceof RetryLater ? error.delayMs : error instanceof ShopifyThrottledError ? error.retryAfterMs : null;
  if (delayMs !== null) {
    await job.moveToDelayed(Date.now() + delayMs, token);
    return new DelayedError();
  }
  if (error instanceof ShopifyApiError && error.permanent) return new UnrecoverableError(error.message);
  return error;
}

function startQueueWorker(name: QueueName, run: JobRunner, connection: RedisConnection): Worker {
  // Started by startWorkers once everything is in place (a stop during start-up takes no job).
  const worker = new Worker(name, run, { ...queueOptions(connection, name), concurrency: env.WORKER_CONCURRENCY, autorun: false });
  worker.on("failed", (job, error) => {
    const final = failedForGood(job, error);
    logger[final ? "error" : "warn"](
      { queue: name, job: job?.name, jobId: job?.id, attempt: job?.attemptsMade, err: error.message },
      final ? "job failed for good; kept in the failed list" : "job failed; will retry",
    );
  });
  worker.on("error", (error) => logger.error({ queue: name, err: error.message }, "worker error"));
  return worker;
}

/**
 * The repeating jobs: every definition with a schedule. At start each is upserted; afterwards
 * (`onlyMissing`) only those Redis lost are set again, so a check does not run the others early.
 * A disabled schedule is removed.
 */
export async function ensureSchedules(onlyMissing = false): Promise<void> {
  for (const { queue: queueName, name, schedule } of scheduledJobs()) {
    const queue = getQueue(queueName);
    if (schedule.disabled) {
      await queue.removeJobScheduler(name);
      continue;
    }
    if (onlyMissing && (await queue.getJobScheduler(name))) continue;
    await queue.upsertJobScheduler(name, "every" in schedule ? { every: schedule.every } : { pattern: schedule.cron }, { name, data: {} });
  }
}

async function keepSchedules(connection: RedisConnection, options: WorkerOptions): Promise<{ stop(): void }> {
  if (!(options.schedules ?? true)) return { stop() {} };
  await ensureSchedules();
  // Redis keeps nothing on disk: after a restart the schedules are gone with everything else.
  // They are set again on every reconnection and, should a flush go unnoticed, every so often.
  const reschedule = () =>
    ensureSchedules(true).catch((error: Error) => logger.warn({ err: error.message }, "could not set the schedules; will retry"));
  connection.on("ready", reschedule);
  const timer = setInterval(reschedule, options.scheduleCheckMs ?? SCHEDULE_CHECK_MS);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      connection.off("ready", reschedule);
    },
  };
}

/**
 * The worker process: SIGTERM/SIGINT handlers first, then the start. A signal during start-up
 * stops it (what was opened is closed, no job is taken); after it, active jobs drain (bounded).
 * Either way the process then closes its database connections and exits 0.
 */
export async function runWorkerProcess(
  handlers: JobHandlers = defaultHandlers,
  options: Omit<WorkerOptions, "signal"> = {},
  drainTimeoutMs = 30_000,
): Promise<void> {
  const starting = new AbortController();
  let started: Promise<RunningWorkers | null> = Promise.resolve(null);
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    starting.abort();
    logger.info({ signal }, "draining active jobs");
    const timer = setTimeout(() => {
      logger.error({ drainTimeoutMs }, "active jobs did not finish in time; they will be picked up again as stalled");
      process.exit(1);
    }, drainTimeoutMs);
    timer.unref();
    try {
      await (await started)?.close();
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
  logger.info("worker starting");
  started = startWorkers(handlers, { ...options, signal: starting.signal }).catch((error: Error) => {
    if (error instanceof StartAborted) return null;
    logger.fatal({ err: error.message }, "worker could not start");
    process.exit(1);
  });
  await started;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void runWorkerProcess();
}
