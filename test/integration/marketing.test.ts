import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import prisma, { pool } from "../../app/db.server";
import { changeCampaignStatus } from "../../app/models/campaigns.server";
import { reportEngagement, syncMarketingActivity } from "../../app/models/marketing.server";
import { adminQuery, type AdminQuery } from "../../app/models/shopify-admin.server";
import { getQueue } from "../../app/jobs/client.server";
import { liveCampaign, makeEnrollments, makeOrders } from "../support/factories";
import { installApp, type ShopState } from "../support/shopify-emulator";

// Shopify Marketing against the emulator (every call checked against the 2026-10 schema): the
// campaign registered once with its e-mails' UTM parameters, its status kept in line, and each
// finished day's engagement reported once, also across a lost answer and a failed call.
const { emulator } = await vi.hoisted(() => import("../support/emulator-fixture").then((fixture) => fixture.startEmulator()));

const DAY = 86_400_000;
const NOW = new Date("2026-11-20T12:00:00Z");
let state: ShopState;
let shop: { id: number; domain: string };
let campaignId: number;

beforeAll(async () => {
  state = emulator.addShop({ seed: "marketing", customers: 3, shopName: "marketing-shop" });
  const { shopId } = await installApp(emulator, state.domain);
  shop = { id: shopId, domain: state.domain };
  campaignId = (await liveCampaign(shopId, undefined, { liveSince: new Date(NOW.getTime() - 3 * DAY) })).id;
  await pool.query("UPDATE shops SET currency_code = 'EUR' WHERE id = $1", [shopId]);
}, 60_000);

afterAll(() => emulator.close());

describe("Shopify Marketing", () => {
  it("registers a Live campaign once, with the UTM parameters its e-mails carry, and follows its status", async () => {
    const activity = await syncMarketingActivity(shop.id, campaignId, { admin: adminQuery });
    expect(activity).toMatchObject({ id: expect.stringMatching(/^gid:\/\/shopify\/MarketingActivity\//), status: "ACTIVE" });
    const [registered, ...more] = [...state.marketingActivities.values()];
    expect(more).toEqual([]);
    expect(registered).toMatchObject({
      title: "Win-back: Win-Back",
      status: "ACTIVE",
      tactic: "MESSAGE",
      marketingChannelType: "EMAIL",
      utm: { campaign: "win-back", source: "win-back", medium: "email" },
      remoteId: `winback-campaign-${campaignId}`,
    });

    // Its answer lost (nothing stored): the retry finds the activity instead of registering another.
    await pool.query("UPDATE campaigns SET marketing_activity_id = NULL, marketing_status = NULL WHERE id = $1", [campaignId]);
    expect(await syncMarketingActivity(shop.id, campaignId, { admin: adminQuery })).toEqual(activity);
    expect(state.marketingActivities.size).toBe(1);

    expect(await changeCampaignStatus(shop.id, campaignId, "pause")).toMatchObject({ ok: true });
    const jobs = await getQueue("engine").getJobs(["waiting"]);
    expect(jobs.map((job) => [job.name, job.data])).toContainEqual(["sync-marketing-activity", { shopId: shop.id, campaignId }]);
    await syncMarketingActivity(shop.id, campaignId, { admin: adminQuery });
    expect(registered!.status).toBe("PAUSED");
    await pool.query("UPDATE campaigns SET status = 'live' WHERE id = $1", [campaignId]);
    await syncMarketingActivity(shop.id, campaignId, { admin: adminQuery });
    expect(registered!.status).toBe("ACTIVE");
  });

  it("reports each finished day once: sends, opens, clicks, unsubscribes, conversions and revenue", async () => {
    const day = (n: number) => new Date(NOW.getTime() - n * DAY);
    const rows = await makeEnrollments(
      shop.id,
      campaignId,
      [
        { customerId: 1, holdout: false, status: "converted", lastStepSent: 1, convertedAt: day(1), conversionOrderId: 7001 },
        { customerId: 2, holdout: false, status: "active", lastStepSent: 1 },
        { customerId: 3, holdout: true, status: "converted", lastStepSent: 0, convertedAt: day(1), conversionOrderId: 7003 },
      ],
      { enteredAt: day(3) },
    );
    const template = (await prisma.campaign.findFirstOrThrow({ where: { id: campaignId } })).templateIds[0]!;
    await pool.query(
      `INSERT INTO email_sends (shop_id, customer_id, template_id, campaign, step, status, enrollment_id, sent_at, opened_at, first_clicked_at, unsubscribed_at)
       VALUES ($1, 1, $2, 'win-back', 1, 'sent', $3, $5, $6, $6, NULL), ($1, 2, $2, 'win-back', 1, 'sent', $4, $5, NULL, NULL, $6)`,
      [shop.id, template, rows[0]!.id, rows[1]!.id, day(2.9), day(1.2)],
    );
    await makeOrders(
      shop.id,
      [
        { id: 7001, customerId: 1, total: "50.00", refunded: "5.00" },
        { id: 7003, customerId: 3, total: "99.00", refunded: 0 },
      ],
      { createdAt: day(1) },
    );

    // The first call fails half-way: what was reported stays reported, the rest comes next time.
    let calls = 0;
    const flaky: AdminQuery = async (domain, query, variables) => {
      if (/ReportCampaignEngagement/.test(query) && calls++ === 1) throw new Error("connection reset");
      return adminQuery(domain, query, variables);
    };
    // A day is reported once the day after it is over too (late orders and refunds): on the 21st, up to the 19th.
    const reportedOn = new Date(NOW.getTime() + DAY);
    await expect(reportEngagement(shop.id, campaignId, { admin: flaky, now: reportedOn })).rejects.toThrow("connection reset");
    expect(await reportEngagement(shop.id, campaignId, { admin: flaky, now: reportedOn })).toBe(2);
    expect(await reportEngagement(shop.id, campaignId, { admin: flaky, now: reportedOn })).toBe(0);

    const reported = state.marketingEngagements.map((engagement) => engagement.input);
    expect(reported.map((engagement) => engagement.occurredOn)).toEqual(["2026-11-17", "2026-11-18", "2026-11-19"]);
    expect(reported[0]).toMatchObject({
      sendsCount: 2,
      viewsCount: 0,
      clicksCount: 0,
      unsubscribesCount: 0,
      isCumulative: false,
      utcOffset: "+00:00",
    });
    // The holdout's order is not the campaign's: one conversion, 45.00 after the refund.
    expect(reported[2]).toMatchObject({
      sendsCount: 0,
      viewsCount: 1,
      clicksCount: 1,
      unsubscribesCount: 1,
      orders: "1",
      sales: { amount: "45.00", currencyCode: "EUR" },
    });
  });

  it("does not register a Draft that is deleted before it ever went Live", async () => {
    const other = await pool.query<{ id: number }>(
      "INSERT INTO campaigns (shop_id, handle, status, settings, template_ids, updated_at) SELECT shop_id, 'campaign-9', 'deleted', settings, template_ids, now() FROM campaigns WHERE id = $1 RETURNING id",
      [campaignId],
    );
    const activities = state.marketingActivities.size;
    expect(await syncMarketingActivity(shop.id, other.rows[0]!.id, { admin: adminQuery })).toBeNull();
    expect(state.marketingActivities.size).toBe(activities);
  });
});
