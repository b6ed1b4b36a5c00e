import type { Job, JobsOptions } from "bullmq";
import { z } from "zod";

/**
 * What a job kind is: its name, queue, payload schema, job options, optional schedule and handler,
 * in one definition (one file per kind in this folder, listed in `registry.ts`).
 *
 * Payloads carry ids only, never personal data. Redis carries work, never the only copy of a
 * fact: every job can be re-derived from PostgreSQL by a sweeper if Redis loses it.
 */

export const QUEUE_NAMES = ["webhooks", "shops", "sync", "email", "engine", "maintenance"] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/**
 * The Redis key prefix of one queue: `{QUEUE_PREFIX:queue}`, a hash tag, so that on a Redis
 * Cluster all of a queue's keys share one slot (BullMQ's scripts touch several at once) while
 * different queues spread over the masters.
 */
export function queuePrefix(queue: QueueName, prefix: string): string {
  return `{${prefix}:${queue}}`;
}

/** A bigint id in a payload: a positive integer as a string. */
export const idSchema = z.string().regex(/^[1-9]\d{0,18}$/, "a positive integer id as a string");
export const shopIdSchema = z.number().int().positive();

/**
 * A repeating job: every `every` ms, or on a cron pattern. A `disabled` schedule is removed from
 * Redis, since a worker started earlier may have set it.
 */
export type JobSchedule = ({ every: number } | { cron: string }) & { disabled?: boolean };

/** A job's handler module (`app/jobs/<kind>.handler.ts`). */
export interface JobHandler<Payload> {
  /** Runs the job; an error fails this attempt (see `attempts.ts` for retrying later without one). */
  run(payload: Payload, job: Job): Promise<unknown>;
}

/** What a job definition file declares. */
export interface JobSpec<Payload extends z.ZodType> {
  queue: QueueName;
  /** The BullMQ job name, also the id of its scheduler. */
  name: string;
  /** Checked when the job is enqueued and again when it runs (Redis content is input like any other). */
  payload: Payload;
  /** Job id or deduplication: enqueueing the same work twice should yield one job. None by default. */
  options?: (payload: z.infer<Payload>) => JobsOptions;
  schedule?: JobSchedule;
  /**
   * Its work, loaded only when needed: `() => import("./<kind>.handler")`, a module whose `run`
   * the worker calls. Code that only enqueues (routes, webhooks) never loads the models it uses.
   */
  handler: () => Promise<JobHandler<z.infer<Payload>>>;
}

export interface JobDefinition<Payload extends z.ZodType = z.ZodType> extends JobSpec<Payload> {
  options: (payload: z.infer<Payload>) => JobsOptions;
}

const noOptions = (): JobsOptions => ({});

export function defineJob<Payload extends z.ZodType>(spec: JobSpec<Payload>): JobDefinition<Payload> {
  return { ...spec, options: spec.options ?? noOptions };
}

const noPayload = z.object({});

/** A job that only runs on its schedule: no payload, no options. */
export function scheduledJob(spec: Omit<JobSpec<typeof noPayload>, "payload" | "options"> & { schedule: JobSchedule }) {
  return defineJob({ ...spec, payload: noPayload });
}
