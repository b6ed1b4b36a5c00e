import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { defaultCampaignSettings } from "../../app/domain/campaign";
import { mailTransport } from "../../app/email/mailer.server";
import { settleOrders } from "../../app/models/conversions.server";
import { deliverSend } from "../../app/models/email-delivery.server";
import { createSend } from "../../app/models/send-ledger.server";
import { applyConsent, recordCheckout } from "../../app/models/live-sync.server";
import { completeFinishedEnrollments } from "../../app/models/steps.server";
import { liveCampaign, makeCustomers, makeOrders, makeShop, US_ADDRESS } from "../support/factories";

// How an enrollment ends when the customer acts between steps, decided on the stored facts.
const DAY = 86_400_000;
let shopId: number;
let campaignId: number;
let enrollmentId: bigint;
const CUSTOMER = 7n;

beforeEach(async () => {
  shopId = (await makeShop({ syncedAt: new Date(), postalAddress: US_ADDRESS })).id;
  campaignId = (await liveCampaign(shopId)).id;
  await makeCustomers(shopId, [{ id: CUSTOMER, email: "ana@example.com" }]);
  const enrollment = await prisma.enrollment.create({
    data: {
      shopId,
      campaignId,
      customerId: CUSTOMER,
      cycle: 1,
      holdout: false,
      enteredAt: new Date(Date.now() - 3 * DAY),
      nextStep: 2,
      nextStepDueAt: new Date(Date.now() + DAY),
      lastStepSent: 1,
      lastStepSentAt: new Date(Date.now() - 3 * DAY),
    },
  });
  enrollmentId = enrollment.id;
  await prisma.discountCode.create({
    data: {
      shopId,
      enrollmentId,
      step: 2,
      code: "WB-0123456789ABCDEF",
      offer: defaultCampaignSettings().steps[1]!.offer,
      endsAt: new Date(Date.now() + 10 * DAY),
      status: "created",
      shopifyId: "gid://shopify/DiscountCodeNode/1",
    },
  });
});

const enrollment = () => prisma.enrollment.findFirstOrThrow({ where: { id: enrollmentId } });
const order = (id: number, codes: string[]) => makeOrders(shopId, [{ id, customerId: CUSTOMER, discountCodes: codes }]);

describe("between steps", () => {
  it("a checkout stops the e-mails, and an order with the code (in any case) still converts", async () => {
    await recordCheckout(shopId, Number(CUSTOMER), new Date());
    expect(await enrollment()).toMatchObject({ status: "active", exitReason: "checkout_started", nextStep: null });
    await order(501, ["wb-0123456789abcdef"]);
    expect(await settleOrders(shopId, [CUSTOMER])).toEqual({ converted: 1, exited: 0 });
    expect(await enrollment()).toMatchObject({ status: "converted", conversionOrderId: 501n });
  });

  it("a checkout without an order ends as exited once the window and the code are over", async () => {
    await recordCheckout(shopId, Number(CUSTOMER), new Date());
    expect(await completeFinishedEnrollments({ now: new Date(Date.now() + 6 * DAY) })).toBe(0); // the code still runs
    expect(await completeFinishedEnrollments({ now: new Date(Date.now() + 11 * DAY) })).toBe(1);
    expect(await enrollment()).toMatchObject({ status: "exited", exitReason: "checkout_started" });
  });

  it("an e-mail already written for a step does not go out once the customer left or the campaign paused", async () => {
    const templateId = (await prisma.campaign.findFirstOrThrow({ where: { id: campaignId } })).templateIds[1]!;
    const send = async (step: number) => {
      const id = await createSend(shopId, { customerId: CUSTOMER, templateId, campaign: "win-back", step });
      await prisma.emailSend.update({ where: { shopId_id: { shopId, id } }, data: { enrollmentId } });
      return id;
    };
    const paused = await send(2);
    await prisma.campaign.update({ where: { shopId_id: { shopId, id: campaignId } }, data: { status: "paused" } });
    expect(await deliverSend(shopId, paused, { transport: mailTransport() })).toMatchObject({
      status: "blocked",
      reason: expect.stringMatching(/not Live/),
    });

    await prisma.campaign.update({ where: { shopId_id: { shopId, id: campaignId } }, data: { status: "live" } });
    const afterOrder = await send(3);
    await order(502, []);
    await settleOrders(shopId, [CUSTOMER]);
    expect(await enrollment()).toMatchObject({ status: "exited", exitReason: "ordered_on_their_own" });
    expect(await deliverSend(shopId, afterOrder, { transport: mailTransport() })).toMatchObject({
      status: "blocked",
      reason: expect.stringMatching(/left the sequence/),
    });
  });

  it("a late, older unsubscribe does not end a customer who subscribed again", async () => {
    await applyConsent(shopId, Number(CUSTOMER), "SUBSCRIBED", new Date());
    await applyConsent(shopId, Number(CUSTOMER), "UNSUBSCRIBED", new Date(Date.now() - DAY));
    expect(await enrollment()).toMatchObject({ status: "active", exitReason: null });
    await applyConsent(shopId, Number(CUSTOMER), "UNSUBSCRIBED", new Date(Date.now() + 1000));
    expect(await enrollment()).toMatchObject({ status: "exited", exitReason: "unsubscribed" });
  });
});
