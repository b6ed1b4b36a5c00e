import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import prisma from "../../app/db.server";
import { defaultCampaignSettings } from "../../app/domain/campaign";
import { closeMailTransport, mailTransport } from "../../app/email/mailer.server";
import { changeCampaignStatus, ensureReadyMadeCampaign, saveCampaignSettings } from "../../app/models/campaigns.server";
import { enrollEligible } from "../../app/models/enrollments.server";
import { adminQuery, ShopifyThrottledError } from "../../app/models/shopify-admin.server";
import { dispatchDueSteps, runSteps } from "../../app/models/steps.server";
import { makeCustomers, US_ADDRESS } from "../support/factories";
import { installApp, type ShopState } from "../support/shopify-emulator";

// Codes against a small cost bucket (30 points, 10 a second; a code costs 10): the engine waits
// for budget, a job that would wait long gives up its turn as ShopifyThrottledError (the worker
// delays it without spending an attempt), and the run that follows finishes: every code once.
const { emulator, sink } = await vi.hoisted(() =>
  import("../support/emulator-fixture").then((fixture) =>
    fixture.startEmulator({ smtp: true, bucket: { maximumAvailable: 30, restoreRate: 10 } }),
  ),
);

const SHOP = "throttle-shop.myshopify.com";
let state: ShopState;
let shopId: number;
let campaignId: number;

beforeAll(async () => {
  state = emulator.addShop({ seed: "throttle", customers: 60, shopName: "throttle-shop" });
  ({ shopId } = await installApp(emulator, SHOP));
  // The store's history without a back-fill: customers who lapsed long ago, with an address to print.
  await prisma.shop.update({
    where: { id: shopId },
    data: {
      syncedAt: new Date(),
      syncState: "completed",
      name: "Throttle",
      postalAddress: US_ADDRESS,
    },
  });
  const customers = [...state.customerSequence().scan(0, 1)].slice(0, 12).map(({ item }) => item);
  await makeCustomers(
    shopId,
    customers.map(({ id, email, firstName }) => ({ id, email, firstName })),
    {},
    { onConflict: "ignore" },
  );
  campaignId = await ensureReadyMadeCampaign(shopId);
  const settings = defaultCampaignSettings();
  settings.holdoutPercent = 0;
  settings.frequencyCapHours = 0;
  settings.quietHours = { start: 0, end: 0 };
  settings.steps = [{ ...settings.steps[1]!, delayHours: 0 }];
  const saved = await saveCampaignSettings(shopId, campaignId, settings);
  if (!saved.ok) throw new Error(JSON.stringify(saved));
  expect(await changeCampaignStatus(shopId, campaignId, "go_live")).toMatchObject({ ok: true });
  await enrollEligible(shopId, campaignId, saved.campaign.settings);
}, 60_000);

afterAll(async () => {
  closeMailTransport(); // its pooled connections would hold the SMTP server's close
  await emulator.close();
  await sink.close();
});

describe("discount codes against Shopify's cost bucket", () => {
  it("waits for budget, yields the job when the wait is long, and never loses or doubles a code", async () => {
    const enrolled = await prisma.enrollment.count({ where: { campaignId } });
    expect(enrolled).toBe(12);
    let throttled = 0;
    const started = Date.now();
    for (
      let round = 0;
      round < 20 && (await prisma.emailSend.count({ where: { enrollment: { campaignId }, status: "sent" } })) < enrolled;
      round++
    ) {
      const now = new Date();
      const jobs = await dispatchDueSteps(1_000, { now });
      const leased = await prisma.enrollment.findMany({ where: { campaignId, status: "active", nextStep: 1 }, select: { id: true } });
      const ids = jobs.length ? jobs.flatMap((job) => job.enrollmentIds) : leased.map((row) => row.id);
      try {
        await runSteps(shopId, ids, { admin: adminQuery, transport: mailTransport(), now });
      } catch (error) {
        if (!(error instanceof ShopifyThrottledError)) throw error;
        throttled++;
        await new Promise((resolve) => setTimeout(resolve, Math.min(error.retryAfterMs, 3_000)));
      }
    }
    expect(await prisma.emailSend.count({ where: { enrollment: { campaignId }, status: "sent" } })).toBe(enrolled);
    expect(await prisma.discountCode.count({ where: { enrollment: { campaignId }, status: "created" } })).toBe(enrolled);
    expect(state.discounts.size).toBe(enrolled);
    expect(sink.count).toBe(enrolled);
    // 12 codes of 10 points from a 30-point bucket refilling 10 a second: at least 9 s of waiting,
    // spent before the calls (Shopify never had to refuse one) or as a yielded job.
    expect(Date.now() - started).toBeGreaterThanOrEqual(8_500);
    expect(throttled).toBeLessThan(20);
  }, 90_000);
});
