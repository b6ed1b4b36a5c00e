import fc from "fast-check";
import { describe, expect, it } from "vitest";
import prisma, { pool } from "../../app/db.server";
import { MIN_BUYERS_FOR_SCORES, scoresOf } from "../../app/domain/rfm";
import { refreshCustomerAggregates } from "../../app/models/customer-aggregates.server";
import { scoreShop } from "../../app/models/scoring.server";
import { orderPayloadSchema } from "../../app/domain/webhook-payloads";
import { upsertOrder } from "../../app/models/live-sync.server";
import { makeCustomers, makeOrders, makeShop } from "../support/factories";

const NOW = Date.parse("2026-11-20T12:00:00Z");
const DAY = 86_400_000;

interface Buyer {
  orders: number;
  spentCents: number;
  daysAgo: number;
}

/** Customers as the aggregates leave them (scoring reads only these columns), inserted in the order given. */
async function insertCustomers(shopId: number, rows: (Buyer | null)[], order: number[] = rows.map((_, i) => i)) {
  await makeCustomers(
    shopId,
    order.map((i) => {
      const buyer = rows[i];
      return {
        id: i + 1,
        ordersCount: buyer?.orders ?? 0,
        totalSpent: buyer ? (buyer.spentCents / 100).toFixed(2) : 0,
        lastOrderAt: buyer ? new Date(NOW - buyer.daysAgo * DAY) : null,
      };
    }),
    { email: null, emailMarketingState: null },
  );
}

async function scores(shopId: number) {
  const { rows } = await pool.query<{ id: string; r_score: number | null; f_score: number | null; m_score: number | null }>(
    "SELECT id, r_score, f_score, m_score FROM customers WHERE shop_id = $1 ORDER BY id",
    [shopId],
  );
  return rows.map((row) => ({ r: row.r_score, f: row.f_score, m: row.m_score }));
}

async function waitUntilSomeoneWaitsForALock() {
  for (;;) {
    const { rows } = await pool.query("SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
    if (rows.length) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const buyer = fc.record({
  orders: fc.integer({ min: 1, max: 12 }),
  spentCents: fc.integer({ min: 0, max: 60_000 }),
  daysAgo: fc.integer({ min: 0, max: 900 }),
});

describe("R/F/M scoring (SQL)", () => {
  it("gives buyers 1..5, monotonic in each dimension, equal to the rule, whatever the row order", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(buyer, { freq: 4 }), { minLength: 8, maxLength: 40 }), async (rows) => {
        const buyers = rows.filter((row): row is Buyer => row !== null);
        fc.pre(buyers.length >= MIN_BUYERS_FOR_SCORES);
        const shopId = (await makeShop()).id;
        await insertCustomers(shopId, rows);
        await scoreShop(shopId);
        const result = await scores(shopId);

        const r = scoresOf(buyers.map((b) => -b.daysAgo));
        const f = scoresOf(buyers.map((b) => b.orders));
        const m = scoresOf(buyers.map((b) => b.spentCents));
        let k = 0;
        rows.forEach((row, i) => {
          if (row === null) expect(result[i]).toEqual({ r: null, f: null, m: null });
          else {
            expect(result[i]).toEqual({ r: r[k], f: f[k], m: m[k] });
            k++;
          }
        });
        for (let i = 0; i < rows.length; i++) {
          for (let j = 0; j < rows.length; j++) {
            const a = rows[i];
            const b = rows[j];
            if (!a || !b) continue;
            if (a.daysAgo >= b.daysAgo) expect(result[i]!.r!).toBeLessThanOrEqual(result[j]!.r!);
            if (a.orders <= b.orders) expect(result[i]!.f!).toBeLessThanOrEqual(result[j]!.f!);
            if (a.spentCents <= b.spentCents) expect(result[i]!.m!).toBeLessThanOrEqual(result[j]!.m!);
          }
        }
        for (const score of result.flatMap((row) => [row.r, row.f, row.m])) if (score !== null) expect(score).toBeGreaterThanOrEqual(1);

        // The same customers inserted in reverse order score the same.
        const reversedShop = (await makeShop()).id;
        await insertCustomers(
          reversedShop,
          rows,
          rows.map((_, i) => rows.length - 1 - i),
        );
        await scoreShop(reversedShop);
        expect(await scores(reversedShop)).toEqual(result);
      }),
      { numRuns: 25 },
    );
  });

  it("scores a shop where everyone ordered once as frequency 1, not 5", async () => {
    const shopId = (await makeShop()).id;
    await insertCustomers(
      shopId,
      Array.from({ length: 10 }, (_, i) => ({ orders: 1, spentCents: 1000 * (i + 1), daysAgo: i * 10 })),
    );
    await scoreShop(shopId);
    expect(new Set((await scores(shopId)).map((row) => row.f))).toEqual(new Set([1]));
  });

  it("gives no scores in a shop with fewer than 5 buyers, and scores from 5 up", async () => {
    const small = (await makeShop()).id;
    await insertCustomers(small, [
      { orders: 3, spentCents: 10_000, daysAgo: 5 },
      { orders: 1, spentCents: 500, daysAgo: 300 },
      null,
      null,
      null,
      null,
    ]);
    await scoreShop(small);
    expect((await scores(small)).every((row) => row.r === null && row.f === null && row.m === null)).toBe(true);

    const enough = (await makeShop()).id;
    await insertCustomers(
      enough,
      Array.from({ length: MIN_BUYERS_FOR_SCORES }, (_, i) => ({ orders: i + 1, spentCents: 100 * i, daysAgo: 10 * i })),
    );
    await scoreShop(enough);
    expect((await scores(enough)).map((row) => row.f)).toEqual([1, 2, 3, 4, 5]);
  });

  it("rewrites nothing on a rerun with no change", async () => {
    const shopId = (await makeShop()).id;
    await insertCustomers(
      shopId,
      Array.from({ length: 20 }, (_, i) => ({ orders: (i % 4) + 1, spentCents: 700 * i, daysAgo: 13 * i })),
    );
    expect((await scoreShop(shopId)).changed).toBe(20);
    expect((await scoreShop(shopId)).changed).toBe(0);
  });
});

describe("customer aggregates (SQL)", () => {
  async function order(
    shopId: number,
    id: number,
    customerId: number,
    at: string,
    total: string,
    extra: { refunded?: string; cancelled?: boolean } = {},
  ) {
    await makeOrders(shopId, [
      { id, customerId, createdAt: at, total, refunded: extra.refunded ?? "0", cancelledAt: extra.cancelled ? at : null },
    ]);
  }

  it("derives count, net spend, first/last order, median gap (3+ orders) and UTC order hours from live orders", async () => {
    const shopId = (await makeShop()).id;
    await insertCustomers(shopId, [null, null]);
    await order(shopId, 1, 1, "2026-01-01T09:30:00Z", "100.00");
    await order(shopId, 2, 1, "2026-01-11T09:10:00Z", "50.00", { refunded: "20.00" });
    await order(shopId, 3, 1, "2026-01-31T21:00:00Z", "10.00");
    await order(shopId, 4, 1, "2026-02-05T21:00:00Z", "999.00", { cancelled: true });
    await order(shopId, 5, 2, "2026-03-01T10:00:00Z", "30.00");
    await order(shopId, 6, 2, "2026-03-02T10:00:00Z", "30.00");

    await refreshCustomerAggregates(shopId, "all");

    const [first, second] = await prisma.customer.findMany({ where: { shopId }, orderBy: { id: "asc" } });
    expect(first).toMatchObject({
      ordersCount: 3,
      firstOrderAt: new Date("2026-01-01T09:30:00Z"),
      lastOrderAt: new Date("2026-01-31T21:00:00Z"),
    });
    expect(first!.totalSpent.toFixed(2)).toBe("140.00");
    expect(first!.medianGapDays).toBeCloseTo((9.986 + 20.493) / 2, 2); // gaps of ~10 and ~20.5 days
    expect(first!.orderHours[9]).toBe(2);
    expect(first!.orderHours[21]).toBe(1);
    expect(first!.orderHours.reduce((sum, n) => sum + n, 0)).toBe(3);
    expect(second).toMatchObject({ ordersCount: 2, medianGapDays: null }); // two orders: no cadence yet
  });

  it("resets a customer whose only order was cancelled", async () => {
    const shopId = (await makeShop()).id;
    await insertCustomers(shopId, [null]);
    await order(shopId, 1, 1, "2026-01-01T09:30:00Z", "100.00");
    await refreshCustomerAggregates(shopId, [1n]);
    await pool.query("UPDATE orders SET cancelled_at = created_at WHERE shop_id = $1", [shopId]);
    await refreshCustomerAggregates(shopId, [1n]);

    expect(await prisma.customer.findFirst({ where: { shopId } })).toMatchObject({ ordersCount: 0, lastOrderAt: null, firstOrderAt: null });
  });

  const payload = (id: number, customerId: number | null, updatedAt: string, total = "40.00") =>
    orderPayloadSchema.parse({
      id,
      created_at: "2026-03-01T10:00:00Z",
      updated_at: updatedAt,
      total_price: total,
      currency: "EUR",
      customer: customerId === null ? null : { id: customerId, updated_at: "2026-01-01T00:00:00Z" },
    });

  it("moves an order's spend from its old customer to its new one", async () => {
    const shopId = (await makeShop()).id;
    await upsertOrder(shopId, payload(10, 1, "2026-03-01T10:00:00Z"));
    expect(await prisma.customer.findUnique({ where: { shopId_id: { shopId, id: 1n } } })).toMatchObject({ ordersCount: 1 });

    await upsertOrder(shopId, payload(10, 2, "2026-03-02T10:00:00Z"));
    const [first, second] = await prisma.customer.findMany({ where: { shopId }, orderBy: { id: "asc" } });
    expect(first).toMatchObject({ ordersCount: 0, lastOrderAt: null });
    expect(second).toMatchObject({ ordersCount: 1 });

    await upsertOrder(shopId, payload(10, null, "2026-03-03T10:00:00Z")); // the order lost its customer
    expect(await prisma.customer.findUnique({ where: { shopId_id: { shopId, id: 2n } } })).toMatchObject({ ordersCount: 0 });
  });

  it("does not overwrite a customer with totals computed before their latest order", async () => {
    const shopId = (await makeShop()).id;
    await upsertOrder(shopId, payload(1, 1, "2026-03-01T10:00:00Z"));
    // Another job holds the customer while it stores a second order.
    const other = await pool.connect();
    try {
      await other.query("BEGIN");
      await other.query("SELECT 1 FROM customers WHERE shop_id = $1 AND id = 1 FOR UPDATE", [shopId]);
      const refreshing = refreshCustomerAggregates(shopId, [1n]);
      await waitUntilSomeoneWaitsForALock();
      await makeOrders(shopId, [{ id: 2, customerId: 1, createdAt: "2026-03-05T10:00:00Z", total: "15.00" }], {}, { db: other });
      await other.query("COMMIT");
      await refreshing;
    } finally {
      other.release();
    }
    expect(await prisma.customer.findUnique({ where: { shopId_id: { shopId, id: 1n } } })).toMatchObject({ ordersCount: 2 });
  });

  it("loses no order when many orders of one customer are applied at once", async () => {
    const shopId = (await makeShop()).id;
    await Promise.all(Array.from({ length: 24 }, (_, i) => upsertOrder(shopId, payload(100 + i, 1, "2026-03-01T10:00:00Z", "10.00"))));
    const customer = await prisma.customer.findUniqueOrThrow({ where: { shopId_id: { shopId, id: 1n } } });
    expect(customer.ordersCount).toBe(24);
    expect(customer.totalSpent.toFixed(2)).toBe("240.00");
  });
});
