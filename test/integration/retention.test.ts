import { beforeAll, describe, expect, it } from "vitest";
import prisma, { execute, queryRow } from "../../app/db.server";
import { recordFlowEvents, setFlowTriggers } from "../../app/models/flow-triggers.server";
import { purgeFinishedRecords } from "../../app/models/retention.server";
import { liveCampaign, makeCustomers, makeEnrollments, makeShop } from "../support/factories";

// Records of finished work go once they are old enough, and nothing they guarded happens twice.

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY);
let shopId: number;
let campaignId: number;
let enrollments: { id: bigint; customerId: bigint }[];

beforeAll(async () => {
  ({ id: shopId } = await makeShop());
  campaignId = (await liveCampaign(shopId)).id;
  await makeCustomers(shopId, 4);
  enrollments = await makeEnrollments(shopId, campaignId, [
    { customerId: 1, enteredAt: daysAgo(60) },
    { customerId: 2, enteredAt: daysAgo(2) },
    { customerId: 3, enteredAt: daysAgo(60) },
    { customerId: 4, enteredAt: daysAgo(2) },
  ]);
});

describe("the hourly purge of finished records", () => {
  it("drops fired Flow events older than the recording window, and recording does not bring them back", async () => {
    await setFlowTriggers(shopId, true, { now: daysAgo(90) });
    expect(await recordFlowEvents(shopId)).toBe(2); // the two entries of the last 30 days
    // Events of long ago (recorded back then), fired; one recent one still pending.
    await execute(
      `INSERT INTO flow_events (shop_id, enrollment_id, kind, status, created_at)
       VALUES ($1, $2, 'entered', 'sent', $4), ($1, $3, 'entered', 'failed', $4)`,
      [shopId, String(enrollments[0]!.id), String(enrollments[2]!.id), daysAgo(60)],
    );

    expect((await purgeFinishedRecords()).flowEvents).toBe(2);
    expect(await prisma.flowEvent.count({ where: { shopId } })).toBe(2);
    // Every enrollment changes (a step, a click): the old entries are not recorded, nor fired, again.
    await execute("UPDATE enrollments SET updated_at = now() WHERE shop_id = $1", [shopId]);
    expect(await recordFlowEvents(shopId)).toBe(0);
  });

  it("drops Marketing's day claims older than the reporting window, and keeps one being reported", async () => {
    await execute(
      `INSERT INTO marketing_engagements (shop_id, campaign_id, day, status) VALUES
         ($5, $1, ($2::timestamptz)::date, 'sent'), ($5, $1, ($3::timestamptz)::date, 'failed'), ($5, $1, ($3::timestamptz)::date - 1, 'sending'),
         ($5, $1, ($4::timestamptz)::date, 'sent')`,
      [campaignId, daysAgo(50), daysAgo(45), daysAgo(3), shopId],
    );
    expect((await purgeFinishedRecords()).marketingClaims).toBe(2);
    expect((await prisma.marketingEngagement.findMany({ where: { campaignId } })).map((row) => row.status).sort()).toEqual([
      "sending",
      "sent",
    ]);
  });

  it("drops unsubscribes reported to Shopify after 30 days, refused ones after 90, and never one still to report", async () => {
    await execute(
      `INSERT INTO consent_updates (shop_id, customer_id, requested_at, applied_at, failed_at) VALUES
         ($1, 1, $2, $2, NULL), ($1, 2, $3, $3, NULL), ($1, 3, $2, NULL, $2), ($1, 4, $4, NULL, $4), ($1, 5, $4, NULL, NULL)`,
      [shopId, daysAgo(40), daysAgo(5), daysAgo(100)],
    );
    expect((await purgeFinishedRecords()).consentUpdates).toBe(2);
    const left = await prisma.consentUpdate.findMany({ where: { shopId }, orderBy: { customerId: "asc" } });
    expect(left.map((row) => Number(row.customerId))).toEqual([2, 3, 5]);
  });

  it("clears old provider answers of failed sends but keeps their status and times for the results", async () => {
    const templateId = (await prisma.campaign.findFirstOrThrow({ where: { id: campaignId } })).templateIds[0]!;
    const send = (customerId: number, status: string, createdAt: Date) =>
      queryRow<{ id: string }>(
        `INSERT INTO email_sends (shop_id, customer_id, template_id, campaign, step, status, error, created_at)
         VALUES ($1, $2, $3, 'win-back', 1, $4, '550 5.1.1 mailbox unavailable', $5) RETURNING id`,
        [shopId, customerId, templateId, status, createdAt],
      );
    const old = await send(1, "failed", daysAgo(40));
    const recent = await send(2, "failed", daysAgo(3));
    const pending = await send(3, "pending", daysAgo(40));

    expect((await purgeFinishedRecords()).providerAnswers).toBe(1);
    const rows = await prisma.emailSend.findMany({ where: { id: { in: [old, recent, pending].map((row) => BigInt(row!.id)) } } });
    const byId = new Map(rows.map((row) => [String(row.id), row]));
    expect(byId.get(old!.id)).toMatchObject({ status: "failed", error: null });
    expect(byId.get(recent!.id)!.error).not.toBeNull();
    expect(byId.get(pending!.id)!.error).not.toBeNull();
  });
});
