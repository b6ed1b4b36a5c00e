import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import prisma, { pool } from "../../app/db.server";
import { ensureReadyMadeCampaign } from "../../app/models/campaigns.server";
import { setFlowTriggers } from "../../app/models/flow-triggers.server";
import { adminQuery, ShopifyThrottledError, type AdminQuery } from "../../app/models/shopify-admin.server";
import { run } from "../../app/jobs/fire-flow-triggers.handler";
import { makeEnrollments, makeOrders } from "../support/factories";
import { installApp, type ShopState } from "../support/shopify-emulator";

// Flow triggers against the emulator, which checks each call against the 2026-10 schema and the
// handles the app's extensions declare: fired once per event, also when a job is retried, and only
// for shops that turned them on.
const { emulator } = await vi.hoisted(async () => {
  const { readdirSync: list } = await import("node:fs");
  const handles = list("extensions", { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
  const { startEmulator } = await import("../support/emulator-fixture");
  return startEmulator({ flowTriggerHandles: handles });
});

let on: { state: ShopState; shopId: number; campaignId: number };
let off: { state: ShopState; shopId: number; campaignId: number };

async function shopWithEnrollments(name: string) {
  const state = emulator.addShop({ seed: name, customers: 3, shopName: name });
  const { shopId } = await installApp(emulator, state.domain);
  const campaignId = await ensureReadyMadeCampaign(shopId);
  const now = new Date();
  const entered = new Date(now.getTime() - 3 * 86_400_000);
  // Customer 1 entered and is waiting; 2 converted with their code; 3 ordered on their own.
  const rows = await makeEnrollments(
    shopId,
    campaignId,
    [
      { customerId: 1, holdout: false, status: "active", lastStepSent: 1 },
      { customerId: 2, holdout: false, status: "converted", lastStepSent: 2, convertedAt: now, conversionOrderId: 9002, endedAt: now },
      { customerId: 3, holdout: true, status: "exited", exitReason: "ordered_on_their_own", lastStepSent: 0, endedAt: now },
    ],
    { enteredAt: entered },
  );
  const converted = rows.find((row) => row.customerId === 2n)!;
  await makeOrders(shopId, [{ id: 9002, customerId: 2, total: "80.00", refunded: "10.00", discountCodes: ["wb-flow0000000000001"] }]);
  await prisma.discountCode.create({
    data: {
      shopId,
      enrollmentId: converted.id,
      step: 2,
      code: "WB-FLOW0000000000001",
      offer: { kind: "percentage", value: 10 },
      endsAt: new Date(Date.now() + 86_400_000),
      status: "created",
    },
  });
  return { state, shopId, campaignId };
}

beforeAll(async () => {
  on = await shopWithEnrollments("flow-on");
  off = await shopWithEnrollments("flow-off");
  await setFlowTriggers(on.shopId, true, { now: new Date(Date.now() - 7 * 86_400_000) });
}, 60_000);

afterAll(() => emulator.close());

const fireFlowTriggersJob = (deps: { admin: AdminQuery }) => run({}, undefined, deps);

describe("Shopify Flow triggers", () => {
  it("fire once per entry, conversion and exit, with the declared fields, only for a shop that turned them on", async () => {
    expect(await fireFlowTriggersJob({ admin: adminQuery })).toEqual({ recorded: 5, sent: 5, refused: 0 });
    expect(await fireFlowTriggersJob({ admin: adminQuery })).toEqual({ recorded: 0, sent: 0, refused: 0 });

    const fired = on.state.flowTriggers.map(({ handle, payload }) => ({ handle, payload }));
    expect(fired).toHaveLength(5);
    expect(fired).toEqual(
      expect.arrayContaining([
        { handle: "winback-customer-entered", payload: { customer_id: 1, "Campaign name": "Win-Back", "In holdout group": false } },
        { handle: "winback-customer-entered", payload: { customer_id: 3, "Campaign name": "Win-Back", "In holdout group": true } },
        {
          handle: "winback-customer-converted",
          payload: {
            customer_id: 2,
            order_id: 9002,
            "Campaign name": "Win-Back",
            Step: 2,
            "Discount code": "WB-FLOW0000000000001",
            "Order revenue": 70,
          },
        },
        {
          handle: "winback-customer-exited",
          payload: { customer_id: 3, "Campaign name": "Win-Back", Step: 0, "Exit reason": "Ordered on their own" },
        },
      ]),
    );
    expect(off.state.flowTriggers).toEqual([]);
    expect(await prisma.flowEvent.count({ where: { shopId: off.shopId } })).toBe(0);
  });

  it("fire each event once when Shopify throttles the job and it is retried; an unconfirmed call is not repeated", async () => {
    // Customer 1 unsubscribes; the first job is throttled before its call reaches Shopify.
    await pool.query(
      "UPDATE enrollments SET status = 'exited', exit_reason = 'unsubscribed', ended_at = now() WHERE shop_id = $1 AND customer_id = 1",
      [on.shopId],
    );
    let calls = 0;
    const throttled: AdminQuery = async (shop, query, variables) => {
      if (calls++ === 0) throw new ShopifyThrottledError(1_000);
      return adminQuery(shop, query, variables);
    };
    const before = on.state.flowTriggers.length;
    await expect(fireFlowTriggersJob({ admin: throttled })).rejects.toThrow(ShopifyThrottledError);
    expect(on.state.flowTriggers).toHaveLength(before);
    expect(await fireFlowTriggersJob({ admin: throttled })).toEqual({ recorded: 0, sent: 1, refused: 0 });
    expect(await fireFlowTriggersJob({ admin: throttled })).toEqual({ recorded: 0, sent: 0, refused: 0 });
    expect(on.state.flowTriggers.slice(before)).toEqual([
      expect.objectContaining({
        handle: "winback-customer-exited",
        payload: expect.objectContaining({ customer_id: 1, "Exit reason": "Unsubscribed" }),
      }),
    ]);

    // A connection lost mid-call may have started the workflows: kept as failed, never fired again.
    await pool.query(
      "UPDATE enrollments SET status = 'converted', converted_at = now(), conversion_order_id = 9002 WHERE shop_id = $1 AND customer_id = 3",
      [on.shopId],
    );
    const broken: AdminQuery = async () => {
      throw new Error("socket hang up");
    };
    expect(await fireFlowTriggersJob({ admin: broken })).toEqual({ recorded: 1, sent: 0, refused: 1 });
    expect(await fireFlowTriggersJob({ admin: adminQuery })).toEqual({ recorded: 0, sent: 0, refused: 0 });
    expect(await prisma.flowEvent.findFirstOrThrow({ where: { shopId: on.shopId, kind: "converted", status: "failed" } })).toMatchObject({
      error: expect.stringContaining("socket hang up"),
    });
  });

  it("send nothing for a redacted customer, and drop what is pending when turned off", async () => {
    await pool.query(
      "UPDATE enrollments SET status = 'exited', exit_reason = 'redacted', ended_at = now() WHERE shop_id = $1 AND customer_id = 2",
      [on.shopId],
    );
    const before = on.state.flowTriggers.length;
    expect(await fireFlowTriggersJob({ admin: adminQuery })).toEqual({ recorded: 0, sent: 0, refused: 0 });
    expect(on.state.flowTriggers).toHaveLength(before);

    // An event still pending when the merchant turns Flow off is dropped, not sent when it is turned on again.
    const enrollment = await prisma.enrollment.findFirstOrThrow({ where: { shopId: on.shopId, customerId: 1n } });
    await prisma.flowEvent.create({ data: { shopId: on.shopId, enrollmentId: enrollment.id, kind: "converted" } });
    await setFlowTriggers(on.shopId, false);
    await setFlowTriggers(on.shopId, true, { now: new Date(Date.now() - 7 * 86_400_000) });
    expect(await fireFlowTriggersJob({ admin: adminQuery })).toEqual({ recorded: 0, sent: 0, refused: 0 });
    expect(await prisma.flowEvent.findFirstOrThrow({ where: { enrollmentId: enrollment.id, kind: "converted" } })).toMatchObject({
      status: "cancelled",
    });
  });

  it("record nothing from before the shop turned them on, and read only enrollments changed since the last look", async () => {
    await setFlowTriggers(off.shopId, true, { now: new Date() });
    expect(await fireFlowTriggersJob({ admin: adminQuery })).toEqual({ recorded: 0, sent: 0, refused: 0 });

    // Every engine update sets updated_at; a row untouched since well before the last look is not read again.
    await pool.query(
      "UPDATE enrollments SET status = 'exited', exit_reason = 'unsubscribed', ended_at = now(), updated_at = now() - interval '1 hour' WHERE shop_id = $1 AND customer_id = 1",
      [off.shopId],
    );
    expect(await fireFlowTriggersJob({ admin: adminQuery })).toEqual({ recorded: 0, sent: 0, refused: 0 });
    await pool.query("UPDATE enrollments SET updated_at = now() WHERE shop_id = $1 AND customer_id = 1", [off.shopId]);
    expect(await fireFlowTriggersJob({ admin: adminQuery })).toEqual({ recorded: 1, sent: 1, refused: 0 });
    expect(off.state.flowTriggers.map((trigger) => trigger.handle)).toEqual(["winback-customer-exited"]);
  });
});
