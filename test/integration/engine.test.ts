import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import prisma, { execute } from "../../app/db.server";
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
import { once } from "../support/stages";
import { installApp, type ShopState } from "../support/shopify-emulator";

// The engine end to end: the emulator as Shopify (with a clock the test moves, so three steps
// days apart run in seconds), a real SMTP server, the app's webhook routes and the real worker.
const { emulator, sink, clock } = await vi.hoisted(() =>
  import("../support/emulator-fixture").then((fixture) => fixture.startEmulator({ smtp: true, clock: "frozen" })),
);

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
  await execute("UPDATE customers SET order_hours = '{}' WHERE shop_id = $1", [shopId]);
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

// The campaign's life in stages, each run once; a test awaits those it builds on, so each passes alone.
const hoursAfter = (enteredAt: Date, hours: number) => new Date(enteredAt.getTime() + hours * HOUR);
const stepSent = (step: number) => prisma.emailSend.count({ where: { enrollment: { campaignId }, step, status: "sent" } });

const wentLive = once(async () => {
  const goLive = await changeCampaignStatus(shopId, campaignId, "go_live");
  await eventually(async () => (await prisma.enrollment.count({ where: { campaignId } })) > 0, 20_000);
  return { goLive, enteredAt: (await enrollments())[0]!.enteredAt };
});

const step1Sent = once(async () => {
  const { enteredAt } = await wentLive();
  const contacted = (await enrollments()).filter((row) => !row.holdout).length;
  await runDue(hoursAfter(enteredAt, 1));
  await eventually(async () => (await stepSent(1)) === contacted);
  return { enteredAt };
});

const step2Sent = once(async () => {
  const { enteredAt } = await step1Sent();
  await runDue(hoursAfter(enteredAt, 49));
  const contacted = (await enrollments()).filter((row) => !row.holdout && row.status === "active");
  const step2 = await prisma.emailSend.findMany({ where: { enrollment: { campaignId }, step: 2 } });
  await eventually(async () => (await stepSent(2)) === contacted.length);
  return { enteredAt, contacted, step2 };
});

/** One customer orders with their step-2 code (Shopify delivers the webhook twice). */
const convertedWithCode = once(async () => {
  const { enteredAt } = await step2Sent();
  const [buyer, other] = (await enrollments()).filter((row) => !row.holdout && row.status === "active");
  const code = (await prisma.discountCode.findFirstOrThrow({ where: { enrollmentId: buyer!.id } })).code;
  clock.now = hoursAfter(enteredAt, 60);
  const { order, webhook } = emulator.placeOrder(SHOP, { customerId: Number(buyer!.customerId), discountCode: code }, { times: 2 });
  await webhook!.settled;
  await eventually(async () => (await prisma.enrollment.findFirstOrThrow({ where: { id: buyer!.id } })).status === "converted");
  return { enteredAt, buyer: buyer!, other: other!, order };
});

const step3Sent = once(async () => {
  const converted = await convertedWithCode();
  await runDue(hoursAfter(converted.enteredAt, 97));
  return converted;
});

/** A holdout customer and a contacted one order on their own; then the attribution window and every code end. */
const finished = once(async () => {
  const { enteredAt } = await step3Sent();
  const holdout = (await enrollments()).find((row) => row.holdout && row.status === "active")!;
  clock.now = hoursAfter(enteredAt, 100);
  const { webhook } = emulator.placeOrder(SHOP, { customerId: Number(holdout.customerId) });
  await webhook!.settled;
  await eventually(async () => (await prisma.enrollment.findFirstOrThrow({ where: { id: holdout.id } })).status === "converted");

  const active = (await enrollments()).find((row) => !row.holdout && row.status === "active")!;
  const { webhook: own } = emulator.placeOrder(SHOP, { customerId: Number(active.customerId) });
  await own!.settled;
  await eventually(async () => (await prisma.enrollment.findFirstOrThrow({ where: { id: active.id } })).status === "exited");

  await completeFinishedEnrollments({ now: new Date(enteredAt.getTime() + 98 * HOUR + 6 * 24 * HOUR) });
  const openAfterWindow = (await enrollments()).filter((row) => row.status === "active" && !row.holdout).length;
  const completed = await completeFinishedEnrollments({ now: new Date(enteredAt.getTime() + 49 * HOUR + 15 * 24 * HOUR) });
  return { holdout, active, openAfterWindow, completed };
});

describe("a Live campaign", () => {
  it("enrolls on Go Live, keeps a holdout that is never e-mailed, and sends step 1 once, without a code", async () => {
    const { goLive, enteredAt } = await wentLive();
    expect(goLive).toMatchObject({ ok: true });
    // A second run (the hourly one) enters nobody again.
    const settings = (await prisma.campaign.findFirstOrThrow({ where: { id: campaignId } })).settings;
    expect(await enrollEligible(shopId, campaignId, settings as never)).toEqual({ contacted: 0, holdout: 0 });

    const all = await enrollments();
    const contacted = all.filter((row) => !row.holdout);
    expect(all.filter((row) => row.holdout).length).toBeGreaterThan(0);
    expect(contacted.length).toBeGreaterThan(5);

    await step1Sent(); // due an hour after entering: every contacted customer's step 1 is sent
    await runDue(hoursAfter(enteredAt, 2)); // nothing is due: nothing more leaves
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
    const { enteredAt, contacted, step2 } = await step2Sent();
    const codes = await prisma.discountCode.findMany({ where: { enrollment: { campaignId } }, include: { enrollment: true } });
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
    expect(step2.length).toBe(contacted.length);
    expect(await stepSent(2)).toBe(contacted.length);

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
      { admin: adminQuery, transport: mailTransport(), now: hoursAfter(enteredAt, 50) },
    );
    expect(await prisma.discountCode.count({ where: { enrollment: { campaignId } } })).toBe(codes.length);
    expect(state.discounts.size).toBe(codes.length);
    expect(sink.count).toBe(before);
  }, 60_000);

  it("converts a customer who orders with the code after step 2: step 3 never reaches them, the others get 15%", async () => {
    const { buyer, other, order } = await convertedWithCode();
    expect(await prisma.enrollment.findFirstOrThrow({ where: { id: buyer.id } })).toMatchObject({
      status: "converted",
      conversionOrderId: BigInt(order.id),
      nextStep: null,
    });

    await step3Sent();
    expect(await prisma.emailSend.count({ where: { enrollmentId: buyer.id, step: 3 } })).toBe(0);
    expect(await prisma.emailSend.findFirst({ where: { enrollmentId: other.id, step: 3 } })).toMatchObject({
      offer: expect.objectContaining({ kind: "percentage", value: 15 }),
    });
    const step3Code = await prisma.discountCode.findFirstOrThrow({ where: { enrollmentId: other.id, step: 3 } });
    expect(state.findCode(step3Code.code)!.discount.value).toEqual({ kind: "percentage", percentage: 0.15 });
  }, 60_000);

  it("exits a customer who orders on their own, and completes the rest after the attribution window", async () => {
    // A holdout customer who orders within the window their peers have counts as a holdout conversion.
    const { holdout, active, openAfterWindow, completed } = await finished();
    expect((await prisma.enrollment.findFirstOrThrow({ where: { id: holdout.id } })).status).toBe("converted");
    expect(await prisma.enrollment.findFirstOrThrow({ where: { id: active.id } })).toMatchObject({
      status: "exited",
      exitReason: "ordered_on_their_own",
    });

    // After the attribution window, those whose codes still run stay open (an order with the code
    // would convert); once every code has ended, everyone is done.
    expect(openAfterWindow).toBeGreaterThan(0);
    expect(completed).toBeGreaterThan(0);
    const statuses = new Set((await enrollments()).map((row) => row.status));
    expect(statuses.has("active")).toBe(false);
  }, 60_000);

  it("deletes the codes nobody can use any more from Shopify, in batches", async () => {
    await finished();
    const created = await prisma.discountCode.count({ where: { enrollment: { campaignId }, status: "created" } });
    expect(created).toBeGreaterThan(0);
    expect(await deleteEndedCodes(shopId, { admin: adminQuery })).toBe(created);
    expect(await prisma.discountCode.count({ where: { enrollment: { campaignId }, status: { not: "deleted" } } })).toBe(0);
    await eventually(async () => state.discounts.size === 0);
    expect(await deleteEndedCodes(shopId, { admin: adminQuery })).toBe(0);
  }, 60_000);

  it("reports results that add up to the ledger: funnel, steps, conversions, revenue net of discounts", async () => {
    await finished();
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
  }, 60_000);
});
