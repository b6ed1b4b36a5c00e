import type { Job } from "bullmq";
import type { z } from "zod";
import { backfillShop } from "./backfill-shop";
import type { JobDefinition, JobHandler } from "./define";
import { deleteEndedCodes } from "./delete-ended-codes";
import { dispatchSteps } from "./dispatch-steps";
import { enrollCampaign } from "./enroll-campaign";
import { enrollLiveCampaigns } from "./enroll-live-campaigns";
import { fireFlowTriggers } from "./fire-flow-triggers";
import { maintenanceSweep } from "./maintenance-sweep";
import { processWebhookEvent } from "./process-webhook-event";
import { purgeFinishedRecords } from "./purge-finished-records";
import { reportMarketing } from "./report-marketing";
import { runSteps } from "./run-steps";
import { scoreAllShops } from "./score-all-shops";
import { scoreShop } from "./score-shop";
import { sendEmail } from "./send-email";
import { sendEmails } from "./send-emails";
import { syncMarketingActivity } from "./sync-marketing-activity";
import { syncShopDetails } from "./sync-shop-details";
import { syncUnsubscribe } from "./sync-unsubscribe";

/**
 * Every job kind, by the name code uses to enqueue it. The worker's handlers, the schedules and
 * the typed `enqueue` are derived from here. Adding a job: its definition (+ handler) file and a
 * line here. Scheduled jobs are upserted in this order.
 */
export const jobs = {
  processWebhookEvent,
  syncShopDetails,
  backfillShop,
  scoreShop,
  sendEmail,
  sendEmails,
  syncUnsubscribe,
  enrollCampaign,
  runSteps,
  syncMarketingActivity,
  // Scheduled:
  maintenanceSweep,
  scoreAllShops,
  dispatchSteps,
  deleteEndedCodes,
  fireFlowTriggers,
  reportMarketing,
  enrollLiveCampaigns,
  purgeFinishedRecords,
} satisfies Record<string, JobDefinition>;

export type JobKind = keyof typeof jobs;
export type JobPayload<K extends JobKind> = z.infer<(typeof jobs)[K]["payload"]>;
export type JobHandlers = { [K in JobKind]: (payload: JobPayload<K>, job: Job) => Promise<unknown> };

const kinds = Object.keys(jobs) as JobKind[];

const loaded = new Map<JobKind, Promise<JobHandler<unknown>>>();

/** A kind's handler module, imported once. */
function handlerOf(kind: JobKind): Promise<JobHandler<unknown>> {
  let handler = loaded.get(kind);
  if (!handler) {
    handler = (jobs[kind] as JobDefinition).handler();
    loaded.set(kind, handler);
  }
  return handler;
}

/** What the worker runs for each kind: the definitions' handlers (tests may replace some). */
export const defaultHandlers = Object.fromEntries(
  kinds.map((kind) => [kind, async (payload: unknown, job: Job) => (await handlerOf(kind)).run(payload, job)]),
) as JobHandlers;

/** Loads every handler: the worker does so before it takes jobs, so none waits for its code to load. */
export async function loadHandlers(): Promise<void> {
  await Promise.all(kinds.map(handlerOf));
}

const kindByName = new Map<string, JobKind>(kinds.map((kind) => [jobs[kind].name, kind]));

export function jobKindNamed(name: string): JobKind | undefined {
  return kindByName.get(name);
}

/** Re-validates a payload on the worker side: Redis content is input like any other. */
export function parseJobPayload<K extends JobKind>(kind: K, data: unknown): JobPayload<K> {
  return jobs[kind].payload.parse(data) as JobPayload<K>;
}

/** The definitions that repeat, in the registry's order. */
export function scheduledJobs(): (JobDefinition & { schedule: NonNullable<JobDefinition["schedule"]> })[] {
  return kinds.flatMap((kind) => {
    const definition: JobDefinition = jobs[kind];
    return definition.schedule ? [{ ...definition, schedule: definition.schedule }] : [];
  });
}
