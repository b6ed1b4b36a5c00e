import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import prisma from "../../app/db.server";
import { env } from "../../app/env.server";
import { ensureReadyMadeCampaign } from "../../app/models/campaigns.server";
import { getQueue } from "../../app/jobs/client.server";
import { startWorkers, type RunningWorkers } from "../../workers/index";
import { makeCustomers, makeEnrollments, makeShop, US_ADDRESS } from "../support/factories";
import { eventually } from "../support/processes";
import { deleteQueueKeys } from "../support/services";

// QUALITY.md 9: Redis keeps nothing on disk. After it loses everything (a restart), the worker
// sets its schedules again and every due step still goes out, once: the due times live in PostgreSQL.
const sink = await vi.hoisted(() => import("../support/emulator-fixture").then((fixture) => fixture.startSmtpSink()));

let workers: RunningWorkers;
let shopId: number;
let campaignId: number;

beforeAll(async () => {
  shopId = (await makeShop({ name: "Redis Shop", syncedAt: new Date(), postalAddress: US_ADDRESS })).id;
  campaignId = await ensureReadyMadeCampaign(shopId);
  // Paused for now (nothing runs), with no quiet hours: the steps are due whatever the time of day.
  const campaign = await prisma.campaign.findFirstOrThrow({ where: { id: campaignId } });
  await prisma.campaign.update({
    where: { shopId_id: { shopId, id: campaignId } },
    data: { status: "paused", settings: { ...(campaign.settings as object), quietHours: { start: 0, end: 0 } } },
  });
  await makeCustomers(shopId, 5, { firstName: "Ana" });
  workers = await startWorkers(undefined, { scheduleCheckMs: 300 });
});

afterAll(async () => {
  await workers.close();
  await sink.close();
});

describe("Redis losing everything", () => {
  it("brings the schedules back, and the steps that were due go out once", async () => {
    await deleteQueueKeys(env.QUEUE_PREFIX);
    expect(await getQueue("engine").getJobSchedulers()).toEqual([]);
    // Due while Redis was empty (step 1 of the ready-made campaign has no code: Shopify is not needed).
    await makeEnrollments(shopId, campaignId, 5, { nextStep: 1, nextStepDueAt: new Date() });
    await prisma.campaign.update({ where: { shopId_id: { shopId, id: campaignId } }, data: { status: "live" } });
    await eventually(
      async () => (await getQueue("engine").getJobSchedulers()).some((scheduler) => scheduler.key === "dispatch-steps"),
      10_000,
    );
    await eventually(async () => (await prisma.emailSend.count({ where: { shopId, status: "sent" } })) === 5, 20_000);
    await sink.waitFor(5);
    expect(sink.count).toBe(5);
    expect(new Set(sink.received.map((mail) => mail.envelope.to[0])).size).toBe(5);
  }, 40_000);
});
