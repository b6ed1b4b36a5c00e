import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import prisma, { pool } from "../../app/db.server";
import { defaultCampaignSettings } from "../../app/domain/campaign";
import { mailTransport } from "../../app/email/mailer.server";
import { changeCampaignStatus, ensureReadyMadeCampaign, saveCampaignSettings } from "../../app/models/campaigns.server";
import { deleteEndedCodes } from "../../app/models/discount-codes.server";
import { enrollEligible } from "../../app/models/enrollments.server";
import { campaignResults } from "../../app/models/results.server";
import { adminQuery } from "../../app/models/shopify-admin.server";
import { completeFinishedEnrollments, runSteps } from "../../app/models/steps.server";
import { startWorkers, type RunningWorkers } from "../../workers/index";
import { startAppServer } from "../support/app-server";
import { runDueSteps } from "../support/due-steps";
import { eventually } from "../support/processes";
import { installApp, type ShopState } from "../support/shopify-emulator";

// The engine end to end: the emulator as Shopify (with a clock the test moves, so three steps
// days apart run in seconds), a real SMTP server, the app's webhook routes and the real worker.
const { emulator, sink, clock } = await vi.hoisted(async () => {
  const { ShopifyEmulator } = await import("../support/shopify-emulator/emulator");
  const { SmtpSink } = await import("../support/smtp-sink");
  const { API_KEY, API_SECRET_KEY } = await import("@shopify/shopify-api/test-helpers");
  const time = { now: new Date() };
  const started = await ShopifyEmulator.start({ apiKey: API_KEY, apiSecret: API_SECRET_KEY, clock: () => time.now });
  const smtp = await SmtpSink.start();
  Object.assign(process.env, { SHOPIFY_ADMIN_API_ORIGIN: started.origin, SMTP_URL: smtp.url });
  return { emulator: started, sink: smtp, clock: time };
});

const SHOP = "engine-shop.myshopify.com";
const HOUR = 3_600_000;
let state: ShopState;
let shopId: number;
let campaignId: number;
let workers: RunningWorkers;
let app: Awaited<ReturnType<typeof startAppServer>>;

beforeAll(async () => {
  app = await startAppServer();
  emulator.setAppUrl(app.url);
  state = emulator.addShop({ seed: "engine", customers: 150, shopName: "engine-shop" });
  workers = await startWorkers();
  ({ shopId } = await installApp(emulator, SHOP));
  await eventually(
    async () => (await prisma.shop.count({ where: { id: shopId, syncState: "completed", detailsSyncedAt: { not: null } } })) === 1,
    60_000,
  );
  campaignId = await ensureReadyMadeCampaign(shopId);
  // No quiet hours, no cap between steps and no habits to wait for: the test decides when steps are due.
  await pool.query("UPDATE customers SET order_hours = '{}' WHERE shop_id = $1", [shopId]);
  const settings = defaultCampaignSettings();
  settings.holdoutPercent = 20;
  settings.frequencyCapHours = 0;
  settings.quietHours = { start: 0, end: 0 };
  settings.audience = { ...settings.audience, lapse: { kind: "inactivity", days: 30 } };
  settings.steps[1]!.delayHours = 48;
  settings.steps[2]!.delayHours = 96;
  const saved = await saveCampaignSettings(shopId, campaignId, settings);
  if (!saved.ok) throw new Error(JSON.stringify(saved));
}, 90_000);

afterAll(async () => {
  await workers.close();
  await app.close();
  await emulator.close();
  await sink.close();
});

const runDue = (at: Date) => runDueSteps(at, clock);

const enrollments = () => prisma.enrollment.findMany({ where: { campaignId }, orderBy: { id: "asc" } });
const mailTo = (email: string) => sink.received.filter((mail) => mail.envelope.to.includes(email));

describe("a Live campaign", () => {
  let enteredAt: Date;

  it("enrolls on Go Live, keeps a holdout that is never e-mailed, and sends step 1 once, without a code", async () => {
    expect(await changeCampaignStatus(shopId, campaignId, "go_live")).toMatchObject({ ok: true });
    await eventually(async () => (await prisma.enrollment.count({ where: { campaignId } })) > 0, 20_000);
    // A second run (the hourly one) enters nobody again.
    const settings = (await prisma.campaign.findUniqueOrThrow({ where: { id: campaignId } })).settings;
    expect(await enrollEligible(shopId, campaignId, settings as never)).toEqual({ contacted: 0, holdout: 0 });

    const all = await enrollments();
    const contacted = all.filter((row) => !row.holdout);
    expect(all.filter((row) => row.holdout).length).toBeGreaterThan(0);
    expect(contacted.length).toBeGreaterThan(5);
    enteredAt = all[0]!.enteredAt;

    await runDue(new Date(enteredAt.getTime() + HOUR));
    await eventually(
      async () => (await prisma.emailSend.count({ where: { enrollment: { campaignId }, step: 1, status: "sent" } })) === contacted.length,
    );
    await runDue(new Date(enteredAt.getTime() + 2 * HOUR)); // nothing is due: nothing more leaves
    expect(await prisma.emailSend.count({ where: { enrollment: { campaignId }, step: 1 } })).toBe(contacted.length);

    await sink.waitFor(sink.count); // every message accepted is parsed too
    const emails = new Map(
      (await prisma.customer.findMany({ where: { shopId }, select: { id: true, email: true } })).map((row) => [row.id, row.email!]),
    );
    for (const row of all) expect(mailTo(emails.get(row.customerId)!).length).toBe(row.holdout ? 0 : 1);
    expect(await prisma.discountCode.count({ where: { enrollment: { campaignId } } })).toBe(0);
    expect((await enrollments()).filter((row) => !row.holdout).every((row) => row.nextStep === 2 && row.lastStepSent === 1)).toBe(true);
  }, 60_000);

  it("creates each customer's step-2 code in Shopify (theirs only, single use, expiring) and sends it once", async () => {
    await runDue(new Date(enteredAt.getTime() + 49 * HOUR));
    const codes = await prisma.discountCode.findMany({ where: { enrollment: { campaignId } }, include: { enrollment: true } });
    const contacted = (await enrollments()).filter((row) => !row.holdout && row.status === "active");
    expect(codes.length).toBe(contacted.length);
    for (const code of codes) {
      expect(code).toMatchObject({ status: "created", step: 2, shopifyId: expect.stringMatching(/^gid:\/\/shopify\/DiscountCodeNode\//) });
      expect(code.code).toMatch(/^WB-[0-9A-HJKMNP-TV-Z]{16}$/);
      const inShopify = state.findCode(code.code)!.discount;
      expect(inShopify).toMatchObject({
        usageLimit: 1,
        appliesOncePerCustomer: true,
        eligibleCustomers: [Number(code.enrollment.customerId)],
        value: { kind: "percentage", percentage: 0.1 },
      });
      expect(Date.parse(inShopify.endsAt!)).toBe(code.endsAt.getTime());
    }
    const step2 = await prisma.emailSend.findMany({ where: { enrollment: { campaignId }, step: 2 } });
    expect(step2.length).toBe(contacted.length);
    await eventually(
      async () => (await prisma.emailSend.count({ where: { enrollment: { campaignId }, step: 2, status: "sent" } })) === contacted.length,
    );

    // Locked to its customer: Shopify's checkout refuses someone else's code.
    const [first, second] = codes;
    expect(() => emulator.placeOrder(SHOP, { customerId: Number(second!.enrollment.customerId), discountCode: first!.code })).toThrow(
      expect.objectContaining({ refusal: "NOT_ELIGIBLE_CUSTOMER" }),
    );

    // The same jobs again (a retry): no second code, no second e-mail.
    const before = sink.count;
    await runSteps(
      shopId,
      contacted.map((row) => row.id),
      { admin: adminQuery, transport: mailTransport(), now: new Date(enteredAt.getTime() + 50 * HOUR) },
    );
    expect(await prisma.discountCode.count({ where: { enrollment: { campaignId } } })).toBe(codes.length);
    expect(state.discounts.size).toBe(codes.length);
    expect(sink.count).toBe(before);
  }, 60_000);

  it("converts a customer who orders with the code after step 2: step 3 never reaches them, the others get 15%", async () => {
    const [buyer, other] = (await enrollments()).filter((row) => !row.holdout && row.status === "active");
    const code = (await prisma.discountCode.findFirstOrThrow({ where: { enrollmentId: buyer!.id } })).code;
    clock.now = new Date(enteredAt.getTime() + 60 * HOUR);
    // Shopify delivers it twice, and then the order's update (the code's use) arrives again later.
    const { order, webhook } = emulator.placeOrder(SHOP, { customerId: Number(buyer!.customerId), discountCode: code }, { times: 2 });
    await webhook!.settled;
    await eventually(async () => (await prisma.enrollment.findUniqueOrThrow({ where: { id: buyer!.id } })).status === "converted");
    expect(await prisma.enrollment.findUniqueOrThrow({ where: { id: buyer!.id } })).toMatchObject({
      conversionOrderId: BigInt(order.id),
      nextStep: null,
    });

    await runDue(new Date(enteredAt.getTime() + 97 * HOUR));
    expect(await prisma.emailSend.count({ where: { enrollmentId: buyer!.id, step: 3 } })).toBe(0);
    expect(await prisma.emailSend.findFirst({ where: { enrollmentId: other!.id, step: 3 } })).toMatchObject({
      offer: expect.objectContaining({ kind: "percentage", value: 15 }),
    });
    const step3Code = await prisma.discountCode.findFirstOrThrow({ where: { enrollmentId: other!.id, step: 3 } });
    expect(state.findCode(step3Code.code)!.discount.value).toEqual({ kind: "percentage", percentage: 0.15 });
  }, 60_000);

  it("exits a customer who orders on their own, and completes the rest after the attribution window", async () => {
    const holdout = (await enrollments()).find((row) => row.holdout && row.status === "active")!;
    clock.now = new Date(enteredAt.getTime() + 100 * HOUR);
    const { webhook } = emulator.placeOrder(SHOP, { customerId: Number(holdout.customerId) });
    await webhook!.settled;
    // A holdout customer who orders within the window their peers have counts as a holdout conversion.
    await eventually(async () => (await prisma.enrollment.findUniqueOrThrow({ where: { id: holdout.id } })).status === "converted");

    const active = (await enrollments()).find((row) => !row.holdout && row.status === "active")!;
    const { webhook: own } = emulator.placeOrder(SHOP, { customerId: Number(active.customerId) });
    await own!.settled;
    await eventually(async () => (await prisma.enrollment.findUniqueOrThrow({ where: { id: active.id } })).status === "exited");
    expect(await prisma.enrollment.findUniqueOrThrow({ where: { id: active.id } })).toMatchObject({ exitReason: "ordered_on_their_own" });

    // After the attribution window, those whose codes still run stay open (an order with the code
    // would convert); once every code has ended, everyone is done.
    await completeFinishedEnrollments({ now: new Date(enteredAt.getTime() + 98 * HOUR + 6 * 24 * HOUR) });
    expect((await enrollments()).filter((row) => row.status === "active" && !row.holdout).length).toBeGreaterThan(0);
    expect(await completeFinishedEnrollments({ now: new Date(enteredAt.getTime() + 49 * HOUR + 15 * 24 * HOUR) })).toBeGreaterThan(0);
    const statuses = new Set((await enrollments()).map((row) => row.status));
    expect(statuses.has("active")).toBe(false);
  }, 60_000);

  it("deletes the codes nobody can use any more from Shopify, in batches", async () => {
    const created = await prisma.discountCode.count({ where: { enrollment: { campaignId }, status: "created" } });
    expect(created).toBeGreaterThan(0);
    expect(await deleteEndedCodes(shopId, { admin: adminQuery })).toBe(created);
    expect(await prisma.discountCode.count({ where: { enrollment: { campaignId }, status: { not: "deleted" } } })).toBe(0);
    await eventually(async () => state.discounts.size === 0);
    expect(await deleteEndedCodes(shopId, { admin: adminQuery })).toBe(0);
  });

  it("reports results that add up to the ledger: funnel, steps, conversions, revenue net of discounts", async () => {
    const results = await campaignResults(shopId, campaignId);
    const all = await enrollments();
    expect(results).toMatchObject({
      entered: all.length,
      contacted: all.filter((row) => !row.holdout).length,
      holdout: all.filter((row) => row.holdout).length,
      active: 0,
      conversions: { contacted: 1, holdout: 1 },
    });
    for (const step of [1, 2, 3]) {
      expect(results.steps[step - 1]).toMatchObject({
        step,
        sent: await prisma.emailSend.count({ where: { enrollment: { campaignId }, step, status: "sent" } }),
      });
    }
    // The one contacted conversion used its 10% code after step 2.
    const converted = all.find((row) => row.status === "converted" && !row.holdout)!;
    const order = await prisma.order.findUniqueOrThrow({ where: { shopId_id: { shopId, id: converted.conversionOrderId! } } });
    expect(results.revenue).toBeCloseTo(Number(order.total) - Number(order.refunded), 2);
    expect(results.discountCost).toBeCloseTo((Number(order.total) * 10) / 90, 2);
    expect(results.steps[1]).toMatchObject({ conversions: 1 });
    // A handful of customers: the lift is not claimed.
    expect(results.lift).toMatchObject({ enoughData: false });
  });
});
