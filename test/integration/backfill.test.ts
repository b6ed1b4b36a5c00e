import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import prisma, { pool } from "../../app/db.server";
import { requestBackfill, runBackfill, type BackfillDeps } from "../../app/models/backfill.server";
import { redactCustomer } from "../../app/models/compliance.server";
import { applyConsent, deleteCustomer } from "../../app/models/live-sync.server";
import { recordInstall } from "../../app/models/shop.server";
import { adminQuery, type AdminQuery } from "../../app/models/shopify-admin.server";
import { getQueue } from "../../app/jobs/client.server";
import { installApp, type CustomerHistory, type GeneratedStore } from "../support/shopify-emulator";

// The back-fill against the emulator, through the app's real Admin API client (routed there).
const { emulator } = await vi.hoisted(() => import("../support/emulator-fixture").then((fixture) => fixture.startEmulator()));
afterAll(() => emulator.close());

const CUSTOMERS = 10_000;

/** Runs the back-fill to the end, as the worker would (waiting out Shopify's bulk operations). */
async function backfillToEnd(shopId: number, deps: BackfillDeps = { admin: adminQuery }) {
  for (;;) {
    const step = await runBackfill(shopId, deps);
    if (step.state !== "waiting") return step.state;
    await emulator.bulkOperationsSettled();
  }
}

/** What the store says a customer's aggregates are: cancelled orders excluded, net of refunds. */
function expected(history: CustomerHistory) {
  const live = history.orders.filter((order) => order.cancelledAt === null);
  const cents = live.reduce((sum, order) => sum + Math.round(Number(order.total) * 100) - Math.round(Number(order.refunded) * 100), 0);
  return {
    email: history.customer.email,
    emailMarketingState: history.customer.marketingState,
    shopifyRfmGroup: history.customer.rfmGroup,
    ordersCount: live.length,
    totalSpent: (cents / 100).toFixed(2),
    lastOrderAt: live.length ? new Date(live.at(-1)!.createdAt).toISOString() : null,
  };
}

async function imported(shopId: number) {
  const rows = await prisma.customer.findMany({ where: { shopId }, orderBy: { id: "asc" } });
  return new Map(
    rows.map((row) => [
      Number(row.id),
      {
        email: row.email,
        emailMarketingState: row.emailMarketingState,
        shopifyRfmGroup: row.shopifyRfmGroup,
        ordersCount: row.ordersCount,
        totalSpent: row.totalSpent.toFixed(2),
        lastOrderAt: row.lastOrderAt?.toISOString() ?? null,
      },
    ]),
  );
}

function expectStoreImported(store: GeneratedStore, rows: Awaited<ReturnType<typeof imported>>) {
  expect(rows.size).toBe(store.customerCount);
  for (const history of store.histories()) {
    expect(rows.get(history.customer.id), `customer ${history.index}`).toEqual(expected(history));
  }
}

describe("back-fill from Shopify bulk operations", () => {
  let shopId: number;
  let store: GeneratedStore;

  beforeAll(async () => {
    store = emulator.addShop({ seed: "backfill-10k", customers: CUSTOMERS, shopName: "backfill-shop" }).store;
    ({ shopId } = await installApp(emulator, "backfill-shop.myshopify.com"));
  });

  it("is requested and queued when the app is installed", async () => {
    const shop = await prisma.shop.findUniqueOrThrow({ where: { id: shopId } });
    expect(shop.syncState).toBe("requested");
    const jobs = await getQueue("sync").getJobs(["waiting", "delayed"]);
    expect(jobs.map((job) => job.data)).toContainEqual({ shopId });
  });

  it("imports a 10,000-customer store equal to the store: customers, consent, orders, totals, last orders, products", async () => {
    expect(await backfillToEnd(shopId)).toBe("completed");

    expectStoreImported(store, await imported(shopId));
    let orders = 0;
    for (const history of store.histories()) orders += history.orders.length;
    const shop = await prisma.shop.findUniqueOrThrow({ where: { id: shopId } });
    expect(shop).toMatchObject({
      syncState: "completed",
      syncPhase: null,
      customersImported: CUSTOMERS,
      ordersImported: orders,
      productsImported: store.products.length,
    });
    expect(shop.syncedAt).not.toBeNull();
    expect(await prisma.order.count({ where: { shopId } })).toBe(orders);

    // Line items became each order's products; products carry price, cost, availability and collections.
    const sample = [...store.histories()].find((history) => history.orders.length > 0)!.orders[0]!;
    const order = await prisma.order.findUniqueOrThrow({ where: { shopId_id: { shopId, id: BigInt(sample.id) } } });
    expect(order.productIds.map(Number).sort()).toEqual([...new Set(sample.lineItems.map((item) => item.productId))].sort());
    const source = store.products.find((product) => product.variants.some((variant) => variant.unitCost !== null))!;
    const product = await prisma.product.findUniqueOrThrow({ where: { shopId_id: { shopId, id: BigInt(source.id) } } });
    const cheapest = [...source.variants].sort((a, b) => Number(a.price) - Number(b.price))[0]!;
    expect(product).toMatchObject({
      title: source.title,
      handle: source.handle,
      status: source.status,
      collections: source.collections,
      vendor: source.vendor,
    });
    expect(product.price.toFixed(2)).toBe(cheapest.price);
    expect(product.unitCost?.toFixed(2) ?? null).toBe(cheapest.unitCost);

    // Scores were computed: every buyer has them, everyone else has none.
    const { rows } = await pool.query<{ buyers_scored: string; others_scored: string }>(
      `SELECT count(*) FILTER (WHERE orders_count > 0 AND r_score IS NOT NULL) AS buyers_scored,
              count(*) FILTER (WHERE orders_count = 0 AND r_score IS NOT NULL) AS others_scored FROM customers WHERE shop_id = $1`,
      [shopId],
    );
    expect(Number(rows[0]!.others_scored)).toBe(0);
    expect(Number(rows[0]!.buyers_scored)).toBe(
      [...store.histories()].filter((history) => history.orders.some((o) => o.cancelledAt === null)).length,
    );
  }, 120_000);

  it("resumes a run stopped half-way and ends with the same data, without duplicates", async () => {
    const again = emulator.addShop({ seed: "backfill-resume", customers: 12_000, shopName: "resume-shop" }).store;
    const { shopId: resumeShop } = await installApp(emulator, "resume-shop.myshopify.com");

    // The worker dies right after the first committed batch of orders.
    const crash = new Error("worker killed");
    const dying: BackfillDeps = {
      admin: adminQuery,
      afterBatch: (phase) => {
        if (phase === "orders") throw crash;
      },
    };
    await expect(backfillToEnd(resumeShop, dying)).rejects.toBe(crash);
    const halfway = await prisma.shop.findUniqueOrThrow({ where: { id: resumeShop } });
    expect(halfway).toMatchObject({ syncState: "running", syncPhase: "orders" });
    expect(halfway.syncLinesDone).toBeGreaterThan(0);
    expect(halfway.ordersImported).toBeGreaterThan(0);

    expect(await backfillToEnd(resumeShop)).toBe("completed");

    expectStoreImported(again, await imported(resumeShop));
    let orders = 0;
    for (const history of again.histories()) orders += history.orders.length;
    expect(await prisma.order.count({ where: { shopId: resumeShop } })).toBe(orders);
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: resumeShop } })).ordersImported).toBe(orders);
  }, 120_000);

  it("carries any text through COPY intact: tabs, newlines, backslashes, quotes and braces", async () => {
    const tricky = emulator.addShop({ seed: "tricky", customers: 5, shopName: "tricky-shop" });
    const name = 'Zoë \t"O\'Neil"\n\\ {brace}, comma';
    const customer = tricky.createCustomer({ firstName: name, lastName: "Back\\slash\r", email: "tricky@example.com" });
    const variant = tricky.store.products.find((product) => product.status === "ACTIVE")!.variants[0]!;
    const code = 'WB"Q,{x}\\1';
    tricky.addDiscount(
      {
        title: "t",
        value: { kind: "percentage", percentage: 0.1 },
        startsAt: "2026-01-01T00:00:00Z",
        endsAt: null,
        usageLimit: null,
        appliesOncePerCustomer: false,
        eligibleCustomers: "all",
        minimumSubtotal: null,
        combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: false },
        tags: [],
      },
      code,
    );
    const order = tricky.placeOrder({ customerId: customer.id, discountCode: code, lineItems: [{ variantId: variant.id, quantity: 2 }] });
    const { shopId: trickyShop } = await installApp(emulator, "tricky-shop.myshopify.com");

    expect(await backfillToEnd(trickyShop)).toBe("completed");

    expect(
      await prisma.customer.findUniqueOrThrow({ where: { shopId_id: { shopId: trickyShop, id: BigInt(customer.id) } } }),
    ).toMatchObject({
      firstName: name,
      lastName: "Back\\slash\r",
      ordersCount: 1,
    });
    expect(await prisma.order.findUniqueOrThrow({ where: { shopId_id: { shopId: trickyShop, id: BigInt(order.id) } } })).toMatchObject({
      discountCodes: [code],
      productIds: [BigInt(order.lineItems[0]!.productId)],
    });
  });

  it("keeps what webhooks wrote meanwhile, and a second back-fill brings changes without duplicates", async () => {
    const state = emulator.addShop({ seed: "backfill-again", customers: 300, shopName: "again-shop" });
    const { shopId: againShop } = await installApp(emulator, "again-shop.myshopify.com");
    // A webhook applied before the back-fill reached this customer: newer than what the bulk export says.
    const early = state.store.customerId(7);
    const later = new Date(emulator.now().getTime() + 3600_000);
    await applyConsent(againShop, early, "UNSUBSCRIBED", later);
    await pool.query("UPDATE customers SET first_name = 'From a later webhook', shopify_updated_at = $3 WHERE shop_id = $1 AND id = $2", [
      againShop,
      early,
      later,
    ]);

    expect(await backfillToEnd(againShop)).toBe("completed");
    const kept = await prisma.customer.findUniqueOrThrow({ where: { shopId_id: { shopId: againShop, id: BigInt(early) } } });
    expect(kept).toMatchObject({ firstName: "From a later webhook", emailMarketingState: "UNSUBSCRIBED" });
    expect(await prisma.customer.count({ where: { shopId: againShop } })).toBe(300);

    // The merchant asks to read everything again after a change the app missed.
    const renamed = state.store.customerId(8);
    state.updateCustomer(renamed, { firstName: "Renamed" });
    expect(await requestBackfill(againShop)).toBe(true);
    expect(await backfillToEnd(againShop)).toBe("completed");
    expect(await prisma.customer.findUniqueOrThrow({ where: { shopId_id: { shopId: againShop, id: BigInt(renamed) } } })).toMatchObject({
      firstName: "Renamed",
    });
    expect(await prisma.customer.count({ where: { shopId: againShop } })).toBe(300);
    let orders = 0;
    for (const history of state.store.histories()) orders += history.orders.length;
    expect(await prisma.order.count({ where: { shopId: againShop } })).toBe(orders);
    expect(await prisma.shop.findUniqueOrThrow({ where: { id: againShop } })).toMatchObject({
      customersImported: 300,
      ordersImported: orders,
    });
  });

  it("does not bring back customers deleted or redacted while the export was being read", async () => {
    const state = emulator.addShop({ seed: "backfill-forget", customers: 200, shopName: "forget-shop" });
    const { shopId: forgetShop } = await installApp(emulator, "forget-shop.myshopify.com");
    const buyers = [...state.store.histories()].filter((history) => history.orders.length > 0);
    const [redacted, deleted] = [buyers[0]!.customer.id, buyers[1]!.customer.id];

    // The requests arrive once Shopify has started the export, which still lists both customers and their orders.
    let forgotten = false;
    const admin: AdminQuery = async (shop, query, variables) => {
      const result = await adminQuery(shop, query, variables);
      if (!forgotten && query.includes("BackfillStatus")) {
        forgotten = true;
        await redactCustomer(forgetShop, redacted, []);
        await deleteCustomer(forgetShop, deleted);
      }
      return result;
    };
    expect(await backfillToEnd(forgetShop, { admin })).toBe("completed");

    expect(await prisma.customer.count({ where: { shopId: forgetShop, id: { in: [BigInt(redacted), BigInt(deleted)] } } })).toBe(0);
    expect(await prisma.order.count({ where: { shopId: forgetShop, customerId: BigInt(redacted) } })).toBe(0);
    expect(await prisma.customer.count({ where: { shopId: forgetShop } })).toBe(198);
  });

  it("reads the store again on a reinstall, not when an installed shop only gets a new token", async () => {
    await recordInstall("backfill-shop.myshopify.com");
    expect(await prisma.shop.findUniqueOrThrow({ where: { id: shopId } })).toMatchObject({ syncState: "completed" });

    await prisma.shop.update({ where: { id: shopId }, data: { uninstalledAt: new Date() } });
    await recordInstall("backfill-shop.myshopify.com");
    expect(await prisma.shop.findUniqueOrThrow({ where: { id: shopId } })).toMatchObject({ syncState: "requested", uninstalledAt: null });
    expect(await backfillToEnd(shopId)).toBe("completed");
  }, 60_000);

  it("does not start again on a stray job once completed, only when asked", async () => {
    expect(await runBackfill(shopId, { admin: adminQuery })).toEqual({ state: "not-requested" });
  });
});
