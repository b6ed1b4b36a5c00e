import { beforeEach, describe, expect, it } from "vitest";
import prisma, { execute } from "../../app/db.server";
import { defaultCampaignSettings, type CampaignSettings } from "../../app/domain/campaign";
import { ensureReadyMadeCampaign } from "../../app/models/campaigns.server";
import { enrollEligible } from "../../app/models/enrollments.server";
import { makeCustomers, makeShop } from "../support/factories";

const NOW = new Date("2026-11-20T12:00:00Z");
const CUSTOMERS = 1_000;
const daysBefore = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

let shopId: number;
let campaignId: number;
let settings: CampaignSettings;

beforeEach(async () => {
  shopId = (await makeShop({ syncedAt: NOW })).id;
  campaignId = await ensureReadyMadeCampaign(shopId);
  settings = defaultCampaignSettings();
  // CUSTOMERS lapsed subscribed buyers (ids 1…), and a few who do not qualify.
  await makeCustomers(shopId, CUSTOMERS, { lastOrderAt: daysBefore(120) });
  await makeCustomers(shopId, 5, { lastOrderAt: daysBefore(10) }, { firstId: 100_001 });
  await makeCustomers(shopId, 5, { emailMarketingState: "UNSUBSCRIBED", lastOrderAt: daysBefore(120) }, { firstId: 200_001 });
});

const enrollments = () => prisma.enrollment.findMany({ where: { campaignId }, orderBy: { customerId: "asc" } });

describe("enrollment", () => {
  it("enters every qualifying customer once, about 10% in a stable holdout, the rest due over the ramp", async () => {
    const run = await enrollEligible(shopId, campaignId, settings, { now: NOW });
    expect(run.contacted + run.holdout).toBe(CUSTOMERS);
    expect(run.holdout).toBeGreaterThan(CUSTOMERS * 0.06);
    expect(run.holdout).toBeLessThan(CUSTOMERS * 0.14);

    const rows = await enrollments();
    expect(rows.every((row) => row.customerId <= BigInt(CUSTOMERS) && row.cycle === 1 && row.status === "active")).toBe(true);
    const holdout = rows.filter((row) => row.holdout);
    expect(holdout.every((row) => row.nextStep === null && row.nextStepDueAt === null)).toBe(true);
    const due = rows.filter((row) => !row.holdout).map((row) => row.nextStepDueAt!.getTime() - NOW.getTime());
    expect(due[0]).toBe(0);
    // 2,000 an hour: the n-th first e-mail is due n × 1.8 s after going Live.
    expect(Math.max(...due)).toBe(Math.round((run.contacted - 1) * 1800));

    // Again: nobody enters twice; the draw is the same in another run.
    expect(await enrollEligible(shopId, campaignId, settings, { now: NOW })).toEqual({ contacted: 0, holdout: 0 });
    await prisma.enrollment.deleteMany({ where: { campaignId } });
    await enrollEligible(shopId, campaignId, settings, { now: NOW });
    expect((await enrollments()).filter((row) => row.holdout).map((row) => row.customerId)).toEqual(holdout.map((row) => row.customerId));
  });

  it("continues the ramp after the customers still waiting for their first e-mail", async () => {
    await execute("UPDATE customers SET last_order_at = $2::timestamptz - interval '10 days' WHERE shop_id = $1 AND id > 500", [
      shopId,
      NOW,
    ]);
    const first = await enrollEligible(shopId, campaignId, settings, { now: NOW });
    await execute("UPDATE customers SET last_order_at = $2::timestamptz - interval '120 days' WHERE shop_id = $1", [shopId, NOW]);
    const later = new Date(NOW.getTime() + 60_000);
    await enrollEligible(shopId, campaignId, settings, { now: later });
    const waitingBefore = (await enrollments()).filter(
      (row) => !row.holdout && row.enteredAt.getTime() === NOW.getTime() && row.nextStepDueAt! > later,
    ).length;
    const firstOfSecondRun = Math.min(
      ...(await enrollments())
        .filter((row) => !row.holdout && row.enteredAt.getTime() === later.getTime())
        .map((row) => row.nextStepDueAt!.getTime()),
    );
    expect(first.contacted).toBeGreaterThan(0);
    expect(firstOfSecondRun - later.getTime()).toBe(waitingBefore * 1800);
  });

  it("lets a customer enter again only after the cool-down, as a new cycle", async () => {
    await enrollEligible(shopId, campaignId, { ...settings, holdoutPercent: 0 }, { now: NOW });
    await prisma.enrollment.updateMany({
      where: { campaignId, customerId: 1n },
      data: { status: "completed", endedAt: NOW, nextStep: null, nextStepDueAt: null },
    });

    const soon = new Date(NOW.getTime() + 30 * 86_400_000);
    expect(await enrollEligible(shopId, campaignId, settings, { now: soon })).toEqual({ contacted: 0, holdout: 0 });
    const after = new Date(NOW.getTime() + 181 * 86_400_000);
    const run = await enrollEligible(shopId, campaignId, settings, { now: after });
    // Customer 1, and the five who had ordered recently and have lapsed by then.
    expect(run.contacted + run.holdout).toBe(6);
    expect(await prisma.enrollment.findMany({ where: { campaignId, customerId: 1n }, orderBy: { cycle: "asc" } })).toMatchObject([
      { cycle: 1 },
      { cycle: 2, status: "active" },
    ]);
  });

  it("enters each customer once when two runs race", async () => {
    const runs = await Promise.all([
      enrollEligible(shopId, campaignId, settings, { now: NOW }),
      enrollEligible(shopId, campaignId, settings, { now: NOW }),
    ]);
    expect(runs.reduce((sum, run) => sum + run.contacted + run.holdout, 0)).toBe(CUSTOMERS);
    expect(await prisma.enrollment.count({ where: { campaignId } })).toBe(CUSTOMERS);
  });
});
