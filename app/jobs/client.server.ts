import { Queue, type JobsOptions } from "bullmq";
import { env } from "../env.server";
import { createRedisConnection, type RedisConnection } from "../redis.server";
import { withTimeout } from "../utils/timeout";
import { queuePrefix, type QueueName } from "./define";
import { jobs, type JobKind, type JobPayload } from "./registry";

/**
 * The one place that puts jobs into Redis: the web app, the handlers and the worker's schedules
 * enqueue through here, typed by the registry.
 */

/** Retries with exponential backoff; failures stay visible in Redis for 30 days, never dropped. */
const defaultJobOptions: JobsOptions = {
  attempts: 10,
  backoff: { type: "exponential", delay: 2_000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

/** A queue's (or its worker's) options: each queue's keys under a hash tag of its own (a Redis Cluster needs one slot per queue). */
export function queueOptions(connection: RedisConnection, queue: QueueName) {
  return { connection, prefix: queuePrefix(queue, env.QUEUE_PREFIX), defaultJobOptions };
}

let producerConnection: RedisConnection | undefined;
const queues = new Map<QueueName, Queue>();

export function getQueue(name: QueueName): Queue {
  let queue = queues.get(name);
  if (!queue) {
    producerConnection ??= createRedisConnection("producer");
    queue = new Queue(name, queueOptions(producerConnection, name));
    queue.on("error", () => {}); // connection errors surface as rejected add() calls
    queues.set(name, queue);
  }
  return queue;
}

/** How long an enqueue may wait for Redis before the caller gets an error (and e.g. answers 5xx). */
const ENQUEUE_TIMEOUT_MS = 2_000;

/** What a caller may add to a definition's options: the job's place in its queue, or that one such job is enough. */
export type EnqueueOptions = Pick<JobsOptions, "priority" | "deduplication">;

function prepare<K extends JobKind>(kind: K, payload: JobPayload<K>, extra: EnqueueOptions = {}) {
  const definition = jobs[kind];
  const data = definition.payload.parse(payload);
  const options = { ...(definition.options as (p: typeof data) => JobsOptions)(data), ...extra };
  return { queue: getQueue(definition.queue), name: definition.name, data, options };
}

function bounded<T>(kind: JobKind, work: Promise<T>): Promise<T> {
  return withTimeout(work, ENQUEUE_TIMEOUT_MS, `Redis did not accept ${kind} within ${ENQUEUE_TIMEOUT_MS} ms`);
}

/** Adds a job; `extra.priority` (1 first) puts it before jobs of the same queue with a higher number. */
export async function enqueue<K extends JobKind>(kind: K, payload: JobPayload<K>, extra: EnqueueOptions = {}): Promise<void> {
  const { queue, name, data, options } = prepare(kind, payload, extra);
  await bounded(kind, queue.add(name, data, options));
}

/** Several jobs of one kind in one round trip (BullMQ's addBulk: one MULTI), e.g. a group commit's. */
export async function enqueueMany<K extends JobKind>(kind: K, payloads: JobPayload<K>[]): Promise<void> {
  if (payloads.length === 0) return;
  const prepared = payloads.map((payload) => prepare(kind, payload));
  await bounded(kind, prepared[0]!.queue.addBulk(prepared.map(({ name, data, options }) => ({ name, data, opts: options }))));
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

/** Jobs of a queue not yet taken by a worker (waiting, prioritized or delayed): how far behind it is. */
export async function queueBacklog(name: QueueName): Promise<number> {
  const counts = await getQueue(name).getJobCounts("waiting", "prioritized", "delayed");
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}

export async function closeQueues(): Promise<void> {
  await Promise.all([...queues.values()].map((queue) => queue.close()));
  queues.clear();
  producerConnection?.disconnect();
  producerConnection = undefined;
}
