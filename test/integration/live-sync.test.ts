import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import prisma from "../../app/db.server";
import { exportCustomerData } from "../../app/models/compliance.server";
import { startWorkers, type RunningWorkers } from "../../workers/index";
import { startAppServer } from "../support/app-server";
import { eventually } from "../support/processes";
import { installApp, type ShopState } from "../support/shopify-emulator";
import type { Delivery } from "../support/shopify-emulator/webhooks";

// Shopify's events, as the emulator delivers them (signed, over HTTP, to the app's routes),
// applied by the real worker after a real back-fill.
// The emulator's clock can be moved forward: REST timestamps have whole seconds, so changes meant
// to be ordered must be seconds apart, as they would be in a real store.
const { emulator, clock } = await vi.hoisted(() =>
  import("../support/emulator-fixture").then((fixture) => fixture.startEmulator({ clock: "running" })),
);

/** Time passes in the store. */
const later = () => clock.advance(2_000);
/** A timestamp as a REST webhook carries it: whole seconds. */
const toSecond = (iso: string) => new Date(Math.floor(Date.parse(iso) / 1000) * 1000);

const SHOP = "live-shop.myshopify.com";
const OTHER = "other-shop.myshopify.com";
let state: ShopState;
let shopId: number;
let otherShopId: number;
let app: Awaited<ReturnType<typeof startAppServer>>;
let workers: RunningWorkers;

beforeAll(async () => {
  app = await startAppServer();
  emulator.setAppUrl(app.url);
  state = emulator.addShop({ seed: "live", customers: 300, shopName: "live-shop" });
  emulator.addShop({ seed: "other", customers: 50, shopName: "other-shop" });
  workers = await startWorkers();
  ({ shopId } = await installApp(emulator, SHOP));
  ({ shopId: otherShopId } = await installApp(emulator, OTHER));
  await eventually(async () => (await prisma.shop.count({ where: { syncState: "completed" } })) === 2, 60_000);
}, 90_000);

afterAll(async () => {
  await workers.close();
  await app.close();
  await emulator.close();
});

/** Resolves when the app has applied a delivery (the worker marked its event processed). */
async function applied(...deliveries: (Delivery | null)[]) {
  for (const delivery of deliveries) {
    await delivery!.settled;
    await eventually(() => prisma.webhookEvent.findFirst({ where: { webhookId: delivery!.webhookId, processedAt: { not: null } } }));
  }
}

const customerRow = (id: number, shop = shopId) => prisma.customer.findUnique({ where: { shopId_id: { shopId: shop, id: BigInt(id) } } });
const repeatBuyer = () =>
  [...state.store.histories()].find((history) => history.orders.filter((order) => !order.cancelledAt).length >= 3)!.customer;

describe("live sync", () => {
  it("applies a new order: the order is stored and the customer's aggregates move", async () => {
    const buyer = repeatBuyer();
    const before = (await customerRow(buyer.id))!;

    const { order, webhook } = emulator.placeOrder(SHOP, { customerId: buyer.id });
    await applied(webhook);

    const after = (await customerRow(buyer.id))!;
    expect(after.ordersCount).toBe(before.ordersCount + 1);
    expect(after.lastOrderAt).toEqual(toSecond(order.createdAt));
    expect(after.totalSpent.toFixed(2)).toBe((Number(before.totalSpent) + Number(order.total)).toFixed(2));
    const stored = await prisma.order.findUniqueOrThrow({ where: { shopId_id: { shopId, id: BigInt(order.id) } } });
    expect(stored.productIds.map(Number)).toEqual([...new Set(order.lineItems.map((item) => item.productId))]);
  });

  it("counts an order once however many times Shopify delivers it", async () => {
    const buyer = repeatBuyer();
    const before = (await customerRow(buyer.id))!;

    const { webhook } = emulator.placeOrder(SHOP, { customerId: buyer.id }, { times: 3 });
    await applied(webhook);

    expect((await customerRow(buyer.id))!.ordersCount).toBe(before.ordersCount + 1);
    expect((await prisma.webhookEvent.findFirstOrThrow({ where: { webhookId: webhook!.webhookId } })).deliveries).toBe(3);
  });

  it("takes cancellations and refunds out of the customer's spend and count", async () => {
    const buyer = repeatBuyer();
    const first = emulator.placeOrder(SHOP, { customerId: buyer.id });
    const second = emulator.placeOrder(SHOP, { customerId: buyer.id });
    await applied(first.webhook, second.webhook);
    const before = (await customerRow(buyer.id))!;

    const cancelled = emulator.cancelOrder(SHOP, first.order.id);
    const refunded = emulator.refundOrder(SHOP, second.order.id, "5.00");
    await applied(...cancelled.webhooks, refunded.webhook);

    const after = (await customerRow(buyer.id))!;
    expect(after.ordersCount).toBe(before.ordersCount - 1);
    expect(after.totalSpent.toFixed(2)).toBe((Number(before.totalSpent) - Number(first.order.total) - 5).toFixed(2));
  });

  it("never lets an older version of an order overwrite a newer one (reversed delivery)", async () => {
    const buyer = repeatBuyer();
    emulator.webhooks.hold();
    const created = emulator.placeOrder(SHOP, { customerId: buyer.id });
    later();
    const refunded = emulator.refundOrder(SHOP, created.order.id, "3.00");
    await emulator.webhooks.release("reversed"); // the refund arrives first, the creation after it
    await applied(refunded.webhook, created.webhook);

    const stored = await prisma.order.findUniqueOrThrow({ where: { shopId_id: { shopId, id: BigInt(created.order.id) } } });
    expect(stored.refunded.toFixed(2)).toBe("3.00");
  });

  it("keeps the newest consent whatever the delivery order", async () => {
    const customer = state.store.history(7).customer;
    emulator.webhooks.hold();
    const unsubscribed = emulator.setMarketingConsent(SHOP, customer.id, "UNSUBSCRIBED");
    later();
    const resubscribed = emulator.setMarketingConsent(SHOP, customer.id, "SUBSCRIBED");
    await emulator.webhooks.release("reversed");
    await applied(resubscribed.webhook, unsubscribed.webhook);

    expect((await customerRow(customer.id))!.emailMarketingState).toBe("SUBSCRIBED");
  });

  it("keeps the newest customer profile whatever the delivery order", async () => {
    const customer = state.store.history(8).customer;
    emulator.webhooks.hold();
    const older = emulator.updateCustomer(SHOP, customer.id, { firstName: "Older" });
    later();
    const newer = emulator.updateCustomer(SHOP, customer.id, { firstName: "Newer" });
    await emulator.webhooks.release("reversed");
    await applied(newer.webhook, older.webhook);

    expect((await customerRow(customer.id))!.firstName).toBe("Newer");
  });

  it("records when a customer starts a checkout", async () => {
    const customer = state.store.history(9).customer;
    const { checkout, webhook } = emulator.startCheckout(SHOP, customer.id);
    await applied(webhook);

    expect((await customerRow(customer.id))!.lastCheckoutAt).toEqual(toSecond(checkout.createdAt));
  });

  it("adds a new customer with their consent, and removes a deleted one", async () => {
    const created = emulator.createCustomer(SHOP, {
      firstName: "Nora",
      lastName: "New",
      email: "nora.new@example.com",
      marketingState: "SUBSCRIBED",
      marketingUpdatedAt: new Date().toISOString(),
    });
    await applied(created.webhook);
    expect(await customerRow(created.customer.id)).toMatchObject({
      email: "nora.new@example.com",
      emailMarketingState: "SUBSCRIBED",
      ordersCount: 0,
    });

    const deleted = emulator.deleteCustomer(SHOP, created.customer.id);
    await applied(deleted.webhook);
    expect(await customerRow(created.customer.id)).toBeNull();
  });

  it("never brings back a deleted customer, even when an older update arrives after the deletion", async () => {
    const created = emulator.createCustomer(SHOP, { firstName: "Gone", lastName: "Soon", email: "gone.soon@example.com" });
    await applied(created.webhook);
    emulator.webhooks.hold();
    const updated = emulator.updateCustomer(SHOP, created.customer.id, { firstName: "Late" });
    later();
    const deleted = emulator.deleteCustomer(SHOP, created.customer.id);
    await emulator.webhooks.release("reversed");
    await applied(deleted.webhook, updated.webhook);

    expect(await customerRow(created.customer.id)).toBeNull();
  });

  it("keeps a checkout that arrives before the customer it belongs to", async () => {
    const created = state.createCustomer({ firstName: "Quick", lastName: "Shopper", email: "quick.shopper@example.com" }); // no webhook yet
    const { checkout, webhook } = emulator.startCheckout(SHOP, created.id);
    await applied(webhook);
    later();
    await applied(emulator.updateCustomer(SHOP, created.id, { lastName: "Shopper-Jones" }).webhook);

    expect(await customerRow(created.id)).toMatchObject({
      email: "quick.shopper@example.com",
      lastName: "Shopper-Jones",
      lastCheckoutAt: toSecond(checkout.createdAt),
    });
  });

  it("creates the customer of an order we had not seen yet", async () => {
    const created = state.createCustomer({ firstName: "Walk", lastName: "In", email: "walk.in@example.com" }); // no webhook of its own
    const { order, webhook } = emulator.placeOrder(SHOP, { customerId: created.id });
    await applied(webhook);

    expect(await customerRow(created.id)).toMatchObject({
      email: "walk.in@example.com",
      ordersCount: 1,
      lastOrderAt: toSecond(order.createdAt),
    });
  });
});

describe("compliance requests", () => {
  it("stores one export of everything held about the customer per data request", async () => {
    const history = [...state.store.histories()].find((candidate) => candidate.orders.length >= 2)!;

    const { webhook } = emulator.requestCustomerData(SHOP, history.customer.id, { times: 2 });
    await applied(webhook);

    const exports = await prisma.dataRequest.findMany({ where: { shopId, customerId: BigInt(history.customer.id) } });
    expect(exports).toHaveLength(1);
    const data = exports[0]!.export as { customer: { email: string }; orders: { id: string }[] };
    expect(data.customer.email).toBe(history.customer.email);
    expect(data.orders.map((order) => order.id)).toEqual(expect.arrayContaining(history.orders.map((order) => String(order.id))));
  });

  it("includes the orders Shopify names in the request, even when they are not linked to the customer", async () => {
    const customer = state.store.history(30).customer;
    const unlinked = await prisma.order.findFirstOrThrow({ where: { shopId, customerId: { not: BigInt(customer.id) } } });
    await exportCustomerData(shopId, customer.id, { id: 424242, requestedAt: new Date(), orderIds: [Number(unlinked.id)] });

    const stored = await prisma.dataRequest.findFirstOrThrow({ where: { shopId, requestId: 424242n } });
    expect((stored.export as { orders: { id: string }[] }).orders.map((order) => order.id)).toContain(String(unlinked.id));
  });

  it("redacts the customer's personal data in that shop only", async () => {
    const history = [...state.store.histories()].find((candidate) => candidate.orders.length >= 2 && candidate.index > 20)!;
    const sameIdElsewhere = await customerRow(history.customer.id, otherShopId); // stores share id ranges
    const otherOrdersBefore = await prisma.order.count({ where: { shopId: otherShopId } });
    expect(sameIdElsewhere).not.toBeNull();

    const { webhook } = emulator.redactCustomer(SHOP, history.customer.id);
    await applied(webhook);

    expect(await customerRow(history.customer.id)).toBeNull();
    expect(await prisma.order.count({ where: { shopId, customerId: BigInt(history.customer.id) } })).toBe(0);
    expect(await prisma.dataRequest.count({ where: { shopId, customerId: BigInt(history.customer.id) } })).toBe(0);
    expect(await customerRow(history.customer.id, otherShopId)).toEqual(sameIdElsewhere);
    expect(await prisma.order.count({ where: { shopId: otherShopId } })).toBe(otherOrdersBefore);

    // A repeated redaction is harmless.
    const again = emulator.redactCustomer(SHOP, state.store.customerId(21));
    await applied(again.webhook);
  });

  it("erases the whole shop on shop/redact, and nothing of other shops", async () => {
    const otherCustomers = await prisma.customer.count({ where: { shopId: otherShopId } });
    emulator.addShop({ seed: "erase", customers: 20, shopName: "erase-shop" });
    const { shopId: eraseId } = await installApp(emulator, "erase-shop.myshopify.com");
    await eventually(async () => (await prisma.shop.findUnique({ where: { id: eraseId } }))?.syncState === "completed", 30_000);
    expect(await prisma.customer.count({ where: { shopId: eraseId } })).toBe(20);

    await applied(emulator.uninstall("erase-shop.myshopify.com").webhook);
    // The redaction erases the shop's webhook records too (its own included), so wait for the shop to go.
    await emulator.redactShop("erase-shop.myshopify.com").webhook!.settled;

    await eventually(async () => (await prisma.shop.count({ where: { id: eraseId } })) === 0);
    expect(await prisma.customer.count({ where: { shopId: eraseId } })).toBe(0);
    expect(await prisma.order.count({ where: { shopId: eraseId } })).toBe(0);
    expect(await prisma.customer.count({ where: { shopId: otherShopId } })).toBe(otherCustomers);
  });
});
