import prisma from "../../app/db.server";
import { campaignSettingsSchema } from "../../app/domain/campaign";
import type { MailTransport } from "../../app/email/transport.server";
import { deleteEndedCodes, shopsWithEndedCodes } from "../../app/models/discount-codes.server";
import { fireFlowEvents, recordFlowEvents, shopsWithFlowTriggers } from "../../app/models/flow-triggers.server";
import { registeredCampaigns, reportEngagement, syncMarketingActivity } from "../../app/models/marketing.server";
import { enrollEligible, type EnrollmentRun } from "../../app/models/enrollments.server";
import type { AdminQuery } from "../../app/models/shopify-admin.server";
import { completeFinishedEnrollments, dispatchDueSteps, runSteps } from "../../app/models/steps.server";
import { env } from "../../app/env.server";
import { scaledClock } from "../../app/utils/engine-clock";
import { enqueue, type JobPayload } from "../queues";

const engineNow = scaledClock(env.DEMO_TIME_SCALE, env.DEMO_EPOCH);

/** The engine's jobs: enrollment, step dispatch, steps (README "Win-back engine"). */

export async function enrollCampaignJob({ shopId, campaignId }: JobPayload<"enrollCampaign">): Promise<EnrollmentRun | string> {
  const campaign = await prisma.campaign.findFirst({ where: { id: campaignId, shopId, status: "live", shop: { uninstalledAt: null } } });
  if (!campaign) return "not live";
  return enrollEligible(shopId, campaignId, campaignSettingsSchema.parse(campaign.settings), { now: engineNow() });
}

export async function enrollLiveCampaignsJob(): Promise<number> {
  const campaigns = await prisma.campaign.findMany({
    where: { status: "live", shop: { uninstalledAt: null } },
    select: { id: true, shopId: true },
  });
  for (const campaign of campaigns) await enqueue("enrollCampaign", { shopId: campaign.shopId, campaignId: campaign.id });
  return campaigns.length;
}

const DISPATCH_LIMIT = 5_000;

export async function dispatchStepsJob(): Promise<{ jobs: number; completed: number }> {
  const now = engineNow();
  const jobs = await dispatchDueSteps(DISPATCH_LIMIT, { now });
  for (const job of jobs) await enqueue("runSteps", { shopId: job.shopId, enrollmentIds: job.enrollmentIds.map(String) });
  return { jobs: jobs.length, completed: await completeFinishedEnrollments({ now }) };
}

export async function runStepsJob(
  { shopId, enrollmentIds }: JobPayload<"runSteps">,
  deps: { admin: AdminQuery; transport: MailTransport },
) {
  const run = await runSteps(shopId, enrollmentIds.map(BigInt), { ...deps, now: engineNow() });
  return { sent: run.sent, postponed: run.postponed, exited: run.exited, notSent: run.notSent.size };
}

export async function deleteEndedCodesJob(deps: { admin: AdminQuery }): Promise<number> {
  let deleted = 0;
  const failures: string[] = [];
  for (const shopId of await shopsWithEndedCodes()) {
    // One shop's trouble does not keep the others' codes alive.
    try {
      deleted += await deleteEndedCodes(shopId, { admin: deps.admin });
    } catch (error) {
      failures.push(`shop ${shopId}: ${(error as Error).message}`);
    }
  }
  if (failures.length > 0) throw new Error(`${deleted} codes deleted; ${failures.join("; ")}`);
  return deleted;
}

/**
 * Runs `work` for each item; one item's trouble (a throttle, an outage) does not hold the others
 * back. The first error is thrown after all, so the job is retried (or delayed, for a throttle)
 * for what is left.
 */
async function eachIsolated<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
  let firstError: unknown = null;
  for (const item of items) {
    try {
      await work(item);
    } catch (error) {
      firstError ??= error;
    }
  }
  if (firstError) throw firstError;
}

/** Records each opted-in shop's new Flow events and fires them, 50 a call, until none is pending. */
export async function fireFlowTriggersJob(deps: { admin: AdminQuery }): Promise<{ recorded: number; sent: number; refused: number }> {
  const total = { recorded: 0, sent: 0, refused: 0 };
  await eachIsolated(await shopsWithFlowTriggers(), async (shopId) => {
    total.recorded += await recordFlowEvents(shopId);
    for (;;) {
      const fired = await fireFlowEvents(shopId, { admin: deps.admin });
      total.sent += fired.sent;
      total.refused += fired.refused;
      if (fired.sent + fired.refused === 0) break;
    }
  });
  return total;
}

export async function syncMarketingActivityJob({ shopId, campaignId }: JobPayload<"syncMarketingActivity">, deps: { admin: AdminQuery }) {
  const shop = await prisma.shop.findFirst({ where: { id: shopId, uninstalledAt: null }, select: { id: true } });
  return shop ? syncMarketingActivity(shopId, campaignId, { admin: deps.admin }) : "not installed";
}

/** Each registered campaign: its status synced (should a sync job have been lost), then its finished days reported. */
export async function reportMarketingJob(deps: { admin: AdminQuery }): Promise<{ campaigns: number; days: number }> {
  let days = 0;
  const campaigns = await registeredCampaigns();
  await eachIsolated(campaigns, async ({ shopId, campaignId }) => {
    await syncMarketingActivity(shopId, campaignId, { admin: deps.admin });
    days += await reportEngagement(shopId, campaignId, { admin: deps.admin });
  });
  return { campaigns: campaigns.length, days };
}
