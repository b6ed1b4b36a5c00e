import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import prisma from "../../app/db.server";
import { authenticate } from "../../app/shopify.server";
import { defaultHandlers } from "../../app/jobs/registry";
import { getQueue } from "../../app/jobs/client.server";
import { callRoute } from "../support/app-routes";
import { startAppServer } from "../support/app-server";
import { freePort } from "../support/services";
import { adminBearerRequest, forgedBearerRequest } from "../support/shopify";
import { installApp, OrderRefused, ShopifyEmulator, type CustomerHistory } from "../support/shopify-emulator";

// The emulator starts before the app's modules load, and the app is pointed at it the way the
// demo and a developer would: SHOPIFY_ADMIN_API_ORIGIN.
const { emulator } = await vi.hoisted(() =>
  import("../support/emulator-fixture").then((fixture) => fixture.startEmulator({ asyncJobDelayMs: 5, webhookRetryDelaysMs: [20, 40] })),
);

const SHOP = "emu-shop.myshopify.com";
const state = emulator.addShop({ seed: "emulator-test", customers: 60, shopName: "emu-shop" });
let token: string;

afterAll(() => emulator.close());

async function admin(query: string, variables?: Record<string, unknown>, accessToken = token, shop = SHOP) {
  const response = await fetch(`${emulator.origin}/admin/api/2026-10/graphql.json`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-host": shop, "x-shopify-access-token": accessToken },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: any; extensions?: any } };
}

beforeAll(async () => {
  ({ accessToken: token } = await installApp(emulator, SHOP));
});

describe("requests", () => {
  it("answers a valid query with data and the cost Shopify reports", async () => {
    const { status, body } = await admin(`query { shop { name myshopifyDomain currencyCode } customers(first: 5) { nodes { id } } }`);

    expect(status).toBe(200);
    expect(body.data.shop).toEqual({ name: state.store.shop.name, myshopifyDomain: SHOP, currencyCode: state.store.shop.currencyCode });
    expect(body.data.customers.nodes).toHaveLength(5);
    // shop 1; customers connection 2 + 5 × 1
    expect(body.extensions.cost).toMatchObject({
      requestedQueryCost: 8,
      actualQueryCost: 8,
      throttleStatus: { maximumAvailable: 1000, restoreRate: 100 },
    });
  });

  it.each([
    [
      `query { shop { nmae } }`,
      { message: "Field 'nmae' doesn't exist on type 'Shop'", extensions: { code: "undefinedField", typeName: "Shop", fieldName: "nmae" } },
    ],
    [
      `query { customer { id } }`,
      {
        message: "Field 'customer' is missing required arguments: id",
        extensions: expect.objectContaining({ code: "missingRequiredArguments" }),
      },
    ],
    [
      `query { shop(first: 1) { name } }`,
      { message: "Field 'shop' doesn't accept argument 'first'", extensions: expect.objectContaining({ code: "argumentNotAccepted" }) },
    ],
    [`query { shop { name }`, { message: expect.stringMatching(/^syntax error, /), extensions: { code: "parseError" } }],
  ])("refuses an invalid document like Shopify: %s", async (query, error) => {
    const { status, body } = await admin(query);
    expect(status).toBe(200);
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([expect.objectContaining(error)]);
  });

  it("refuses invalid variables like Shopify", async () => {
    const { body } = await admin(`query ($id: ID!) { customer(id: $id) { id } }`, {});
    expect(body.errors).toEqual([
      expect.objectContaining({
        message: "Variable $id of type ID! was provided invalid value",
        extensions: expect.objectContaining({ problems: expect.any(Array) }),
      }),
    ]);
  });

  it("requires the access token of an installed shop", async () => {
    expect((await admin(`query { shop { name } }`, undefined, "shpat_wrong")).status).toBe(401);
    expect((await admin(`query { shop { name } }`, undefined, token, "unknown-shop.myshopify.com")).status).toBe(404);
  });

  it("pages customers with cursors, both ways, and filters with Shopify's search syntax", async () => {
    const first = await admin(
      `query { customers(first: 25) { edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage endCursor } } }`,
    );
    const next = await admin(
      `query ($after: String) { customers(first: 50, after: $after) { nodes { id } pageInfo { hasNextPage hasPreviousPage } } }`,
      {
        after: first.body.data.customers.pageInfo.endCursor,
      },
    );
    const all = [
      ...first.body.data.customers.edges.map((edge: { node: { id: string } }) => edge.node.id),
      ...next.body.data.customers.nodes.map((node: { id: string }) => node.id),
    ];

    expect(first.body.data.customers.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(next.body.data.customers.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true });
    expect(new Set(all).size).toBe(60);

    const subscribed = await admin(
      `query { customers(first: 100, query: "email_marketing_state:subscribed") { nodes { defaultEmailAddress { marketingState } } } }`,
    );
    const states = subscribed.body.data.customers.nodes.map(
      (node: { defaultEmailAddress: { marketingState: string } }) => node.defaultEmailAddress.marketingState,
    );
    expect(states.length).toBeGreaterThan(0);
    expect(new Set(states)).toEqual(new Set(["SUBSCRIBED"]));

    const unknownField = await admin(`query { customers(first: 1, query: "no_such_field:1") { nodes { id } } }`);
    expect(unknownField.body.extensions.search[0].warnings[0]).toEqual({
      field: "no_such_field",
      message: "Invalid search field for this query.",
    });
  });

  it("serves a customer's history, statistics and consent as the Admin API models them", async () => {
    const history = [...state.store.histories()].find((candidate: CustomerHistory) => candidate.orders.length >= 2)!;
    const { body } = await admin(
      `query ($id: ID!) { customer(id: $id) { id numberOfOrders lastOrder { id createdAt } amountSpent { amount currencyCode }
         defaultEmailAddress { emailAddress marketingState } statistics { rfmGroup predictedSpendTier }
         orders(first: 10) { nodes { id discountCodes totalPriceSet { shopMoney { amount } } lineItems(first: 5) { nodes { quantity product { id } variant { id inventoryItem { unitCost { amount } } } } } } } } }`,
      { id: `gid://shopify/Customer/${history.customer.id}` },
    );
    const customer = body.data.customer;
    expect(customer.numberOfOrders).toBe(String(history.orders.length));
    expect(customer.lastOrder.id).toBe(`gid://shopify/Order/${history.orders.at(-1)!.id}`);
    expect(customer.defaultEmailAddress).toEqual({ emailAddress: history.customer.email, marketingState: history.customer.marketingState });
    expect(customer.statistics.rfmGroup).toBe(history.customer.rfmGroup);
    expect(customer.orders.nodes.map((order: { id: string }) => order.id)).toEqual(
      history.orders.slice(0, 10).map((order) => `gid://shopify/Order/${order.id}`),
    );
  });
});

describe("fidelity", () => {
  it("pages backwards and in reverse, with cursors that survive new data and belong to one connection", async () => {
    const page = (args: string) =>
      admin(`query { customers(${args}) { nodes { id } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`);
    const all = (await page("first: 100")).body.data.customers.nodes.map((node: { id: string }) => node.id);

    const lastTen = (await page("last: 10")).body.data.customers;
    expect(lastTen.nodes.map((node: { id: string }) => node.id)).toEqual(all.slice(-10));
    expect(lastTen.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const beforeThose = (await page(`last: 5, before: "${lastTen.pageInfo.startCursor}"`)).body.data.customers;
    expect(beforeThose.nodes.map((node: { id: string }) => node.id)).toEqual(all.slice(-15, -10));

    const reversed = (await page("first: 3, reverse: true")).body.data.customers;
    expect(reversed.nodes.map((node: { id: string }) => node.id)).toEqual(all.slice(-3).reverse());
    emulator.createCustomer(SHOP, { firstName: "New", lastName: "Arrival", email: "new.arrival@example.com" });
    const next = (await page(`first: 3, reverse: true, after: "${reversed.pageInfo.endCursor}"`)).body.data.customers;
    expect(next.nodes.map((node: { id: string }) => node.id)).toEqual(all.slice(-6, -3).reverse());

    const foreign = await admin(`query ($after: String) { products(first: 1, after: $after) { nodes { id } } }`, {
      after: reversed.pageInfo.endCursor,
    });
    expect(foreign.body.errors).toEqual([expect.objectContaining({ message: "Invalid cursor for current pagination sort." })]);
  });

  it("lists shop orders by processing time by default, as Shopify does", async () => {
    const { body } = await admin(`query { orders(first: 50) { nodes { processedAt } } }`);
    const times = body.data.orders.nodes.map((node: { processedAt: string }) => Date.parse(node.processedAt));
    expect(times.length).toBe(50);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("enforces access scopes, and shows only 60 days of orders without read_all_orders", async () => {
    const narrow = emulator.issueAccessToken(SHOP, { scopes: "read_customers,read_orders" });
    const customersOnly = emulator.issueAccessToken(SHOP, { scopes: "read_customers" });
    const noOrders = await admin(`query { orders(first: 1) { nodes { id } } }`, undefined, customersOnly);
    expect(noOrders.body.errors).toEqual([
      expect.objectContaining({
        message: "Access denied for orders field. Required access: `read_orders` access scope.",
        extensions: expect.objectContaining({ code: "ACCESS_DENIED" }),
      }),
    ]);
    expect(
      (await admin(`query { customers(first: 1) { nodes { id } } }`, undefined, customersOnly)).body.data.customers.nodes,
    ).toHaveLength(1);
    // A nested field of a protected type is denied too (customers without read_orders).
    const nested = await admin(`query { customers(first: 1) { nodes { lastOrder { id } } } }`, undefined, customersOnly);
    expect(nested.body.errors[0].extensions.code).toBe("ACCESS_DENIED");

    const denied = await admin(
      `mutation { customerEmailMarketingConsentUpdate(input: { customerId: "gid://shopify/Customer/1", emailMarketingConsent: { marketingState: UNSUBSCRIBED } }) { userErrors { message } } }`,
      undefined,
      narrow,
    );
    expect(denied.body.errors[0].extensions.code).toBe("ACCESS_DENIED");

    const withAll = (await admin(`query { orders(first: 250, reverse: true) { nodes { createdAt } } }`)).body.data.orders.nodes;
    const recentOnly = (await admin(`query { orders(first: 250, reverse: true) { nodes { createdAt } } }`, undefined, narrow)).body.data
      .orders.nodes;
    const cutoff = Date.now() - 60 * 86_400_000;
    expect(withAll.some((order: { createdAt: string }) => Date.parse(order.createdAt) < cutoff)).toBe(true);
    expect(recentOnly.every((order: { createdAt: string }) => Date.parse(order.createdAt) >= cutoff)).toBe(true);
  });

  it("names a field it does not implement instead of answering null", async () => {
    const unimplemented = await admin(`query { orders(first: 1) { nodes { id closedAt } } }`);
    expect(unimplemented.body.errors).toEqual([
      expect.objectContaining({
        message: "The local Shopify emulator does not implement Order.closedAt.",
        extensions: { code: "EMULATOR_UNSUPPORTED" },
      }),
    ]);
  });

  it("computes cost on coerced variables: a defaulted first: is charged in full", async () => {
    const { body } = await admin(`query ($n: Int = 250) { customers(first: $n) { nodes { orders(first: 10) { nodes { id } } } } }`);
    expect(body.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: "MAX_COST_EXCEEDED", cost: 2 + 250 * (1 + 2 + 10) }) }),
    ]);
  });

  it("refuses a customer deletion while the customer has orders", () => {
    const buyer = [...state.store.histories()].find((history) => history.orders.length > 0)!;
    expect(() => emulator.deleteCustomer(SHOP, buyer.customer.id)).toThrow("Customer can't be deleted because they have orders");
  });
});

describe("discounts", () => {
  const customers = () => [...state.store.histories()].map((history) => history.customer);
  const createCode = (code: string, variables: Record<string, unknown>) =>
    admin(
      `mutation ($input: DiscountCodeBasicInput!) { discountCodeBasicCreate(basicCodeDiscount: $input) {
         codeDiscountNode { id codeDiscount { ... on DiscountCodeBasic { title status usageLimit appliesOncePerCustomer codes(first: 1) { nodes { code } }
           context { ... on DiscountCustomers { customers { id } } } } } }
         userErrors { field message code } } }`,
      {
        input: {
          title: `Win-back ${code}`,
          code,
          startsAt: new Date(Date.now() - 3600_000).toISOString(),
          endsAt: new Date(Date.now() + 7 * 24 * 3600_000).toISOString(),
          usageLimit: 1,
          appliesOncePerCustomer: true,
          customerGets: { value: { percentage: 0.15 }, items: { all: true } },
          combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: false },
          ...variables,
        },
      },
    );

  it("creates a single-use code locked to one customer, refused for anyone else, and once only", async () => {
    const [alice, bob] = customers();
    const { body } = await createCode("WB-LOCKED-1", { context: { customers: { add: [`gid://shopify/Customer/${alice!.id}`] } } });

    expect(body.data.discountCodeBasicCreate.userErrors).toEqual([]);
    expect(body.data.discountCodeBasicCreate.codeDiscountNode.codeDiscount).toMatchObject({
      status: "ACTIVE",
      usageLimit: 1,
      appliesOncePerCustomer: true,
      codes: { nodes: [{ code: "WB-LOCKED-1" }] },
      context: { customers: [{ id: `gid://shopify/Customer/${alice!.id}` }] },
    });
    expect(() => emulator.placeOrder(SHOP, { customerId: bob!.id, discountCode: "WB-LOCKED-1" })).toThrow(
      new OrderRefused("NOT_ELIGIBLE_CUSTOMER"),
    );
    const { order } = emulator.placeOrder(SHOP, { customerId: alice!.id, discountCode: "wb-locked-1" });
    expect(order.discountCodes).toEqual(["WB-LOCKED-1"]);
    expect(order.totalDiscounts).toBe((Math.round(Math.round(Number(order.lineItemsTotal) * 100) * 0.15) / 100).toFixed(2));
    expect(() => emulator.placeOrder(SHOP, { customerId: alice!.id, discountCode: "WB-LOCKED-1" })).toThrow(
      new OrderRefused("USAGE_LIMIT_REACHED"),
    );

    const lookup = await admin(
      `query { codeDiscountNodeByCode(code: "WB-LOCKED-1") { codeDiscount { ... on DiscountCodeBasic { asyncUsageCount } } } }`,
    );
    expect(lookup.body.data.codeDiscountNodeByCode.codeDiscount.asyncUsageCount).toBe(1);
  });

  it("lets a multi-use code be used once per customer when appliesOncePerCustomer is set", async () => {
    const [alice, bob] = customers();
    await createCode("WB-ONCE-EACH", { context: { all: "ALL" }, usageLimit: null, appliesOncePerCustomer: true });

    emulator.placeOrder(SHOP, { customerId: alice!.id, discountCode: "WB-ONCE-EACH" });
    expect(() => emulator.placeOrder(SHOP, { customerId: alice!.id, discountCode: "WB-ONCE-EACH" })).toThrow(
      new OrderRefused("ALREADY_USED_BY_CUSTOMER"),
    );
    expect(emulator.placeOrder(SHOP, { customerId: bob!.id, discountCode: "WB-ONCE-EACH" }).order.discountCodes).toEqual(["WB-ONCE-EACH"]);
  });

  it("refuses a discount input with a malformed date as an invalid variable", async () => {
    const { body } = await createCode("WB-BAD-DATE", { context: { all: "ALL" }, startsAt: "soon" });
    expect(body.errors).toEqual([
      expect.objectContaining({ message: "Variable $input of type DiscountCodeBasicInput! was provided invalid value" }),
    ]);
  });

  it("refuses an expired code and a code not started yet", async () => {
    const [alice] = customers();
    const audience = { context: { all: "ALL" } };
    await createCode("WB-EXPIRED", {
      ...audience,
      startsAt: new Date(Date.now() - 10 * 86_400_000).toISOString(),
      endsAt: new Date(Date.now() - 86_400_000).toISOString(),
    });
    await createCode("WB-LATER", { ...audience, startsAt: new Date(Date.now() + 86_400_000).toISOString() });

    expect(() => emulator.placeOrder(SHOP, { customerId: alice!.id, discountCode: "WB-EXPIRED" })).toThrow(new OrderRefused("EXPIRED"));
    expect(() => emulator.placeOrder(SHOP, { customerId: alice!.id, discountCode: "WB-LATER" })).toThrow(new OrderRefused("NOT_STARTED"));
  });

  it("answers bad input with userErrors: a taken code, an out-of-range value, an unknown customer", async () => {
    await createCode("WB-TAKEN", { context: { all: "ALL" } });

    const taken = await createCode("wb-taken", { context: { all: "ALL" } });
    const range = await createCode("WB-RANGE", {
      context: { all: "ALL" },
      customerGets: { value: { percentage: 15 }, items: { all: true } },
    });
    const stranger = await createCode("WB-STRANGER", { context: { customers: { add: ["gid://shopify/Customer/1"] } } });

    expect(taken.body.data.discountCodeBasicCreate).toEqual({
      codeDiscountNode: null,
      userErrors: [{ field: ["basicCodeDiscount", "code"], message: "Code must be unique. Please try a different code.", code: "TAKEN" }],
    });
    expect(range.body.data.discountCodeBasicCreate.userErrors).toEqual([expect.objectContaining({ code: "VALUE_OUTSIDE_RANGE" })]);
    expect(stranger.body.data.discountCodeBasicCreate.userErrors).toEqual([
      expect.objectContaining({ field: ["basicCodeDiscount", "context", "customers", "add", "0"] }),
    ]);
  });

  it("deletes codes one by one and in bulk (an asynchronous job), after which they no longer apply", async () => {
    const [alice] = customers();
    const one = (await createCode("WB-DEL-1", { context: { all: "ALL" } })).body.data.discountCodeBasicCreate.codeDiscountNode.id;
    const two = (await createCode("WB-DEL-2", { context: { all: "ALL" } })).body.data.discountCodeBasicCreate.codeDiscountNode.id;
    const three = (await createCode("WB-DEL-3", { context: { all: "ALL" } })).body.data.discountCodeBasicCreate.codeDiscountNode.id;

    const deleted = await admin(`mutation ($id: ID!) { discountCodeDelete(id: $id) { deletedCodeDiscountId userErrors { message } } }`, {
      id: one,
    });
    const bulk = await admin(`mutation ($ids: [ID!]!) { discountCodeBulkDelete(ids: $ids) { job { id done } userErrors { message } } }`, {
      ids: [two, three],
    });

    expect(deleted.body.data.discountCodeDelete).toEqual({ deletedCodeDiscountId: one, userErrors: [] });
    expect(bulk.body.data.discountCodeBulkDelete.job.done).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const job = await admin(`query ($id: ID!) { job(id: $id) { done } }`, { id: bulk.body.data.discountCodeBulkDelete.job.id });
    expect(job.body.data.job.done).toBe(true);
    for (const code of ["WB-DEL-1", "WB-DEL-2", "WB-DEL-3"]) {
      expect(() => emulator.placeOrder(SHOP, { customerId: alice!.id, discountCode: code })).toThrow(new OrderRefused("UNKNOWN_CODE"));
    }
  });

  it("adds redeem codes in bulk (at most 250, asynchronously) and reports the duplicates", async () => {
    const node = (await createCode("WB-BULK-BASE", { context: { all: "ALL" }, usageLimit: 1, appliesOncePerCustomer: false })).body.data
      .discountCodeBasicCreate.codeDiscountNode;
    const added = await admin(
      `mutation ($id: ID!, $codes: [DiscountRedeemCodeInput!]!) { discountRedeemCodeBulkAdd(discountId: $id, codes: $codes) { bulkCreation { id done codesCount } userErrors { code } } }`,
      { id: node.id, codes: [{ code: "WB-BULK-A" }, { code: "WB-BULK-B" }, { code: "WB-BULK-BASE" }] },
    );
    const tooMany = await admin(
      `mutation ($id: ID!, $codes: [DiscountRedeemCodeInput!]!) { discountRedeemCodeBulkAdd(discountId: $id, codes: $codes) { userErrors { code } } }`,
      {
        id: node.id,
        codes: Array.from({ length: 251 }, (_, i) => ({ code: `WB-MANY-${i}` })),
      },
    );

    expect(added.body.data.discountRedeemCodeBulkAdd.bulkCreation).toMatchObject({ done: false, codesCount: 3 });
    expect(tooMany.body.data.discountRedeemCodeBulkAdd.userErrors).toEqual([{ code: "TOO_MANY_ARGUMENTS" }]);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const creation = await admin(
      `query ($id: ID!) { discountRedeemCodeBulkCreation(id: $id) { done importedCount failedCount codes(first: 10) { nodes { code errors { code } } } } }`,
      {
        id: added.body.data.discountRedeemCodeBulkAdd.bulkCreation.id,
      },
    );
    expect(creation.body.data.discountRedeemCodeBulkCreation).toMatchObject({ done: true, importedCount: 2, failedCount: 1 });
    const [alice, bob] = customers();
    // Usage limits apply per redeem code: each new code works once.
    expect(emulator.placeOrder(SHOP, { customerId: alice!.id, discountCode: "WB-BULK-A" }).order.discountCodes).toEqual(["WB-BULK-A"]);
    expect(emulator.placeOrder(SHOP, { customerId: bob!.id, discountCode: "WB-BULK-B" }).order.discountCodes).toEqual(["WB-BULK-B"]);
    expect(() => emulator.placeOrder(SHOP, { customerId: bob!.id, discountCode: "WB-BULK-A" })).toThrow(
      new OrderRefused("USAGE_LIMIT_REACHED"),
    );
  });
});

describe("free shipping, consent, marketing and Flow", () => {
  const customers = () => [...state.store.histories()].map((history) => history.customer);

  it("creates a free-shipping code with a minimum subtotal, applied only above it", async () => {
    const [alice] = customers();
    const { body } = await admin(
      `mutation ($input: DiscountCodeFreeShippingInput!) { discountCodeFreeShippingCreate(freeShippingCodeDiscount: $input) {
         codeDiscountNode { codeDiscount { ... on DiscountCodeFreeShipping { title minimumRequirement { ... on DiscountMinimumSubtotal { greaterThanOrEqualToSubtotal { amount } } } } } }
         userErrors { field message } } }`,
      {
        input: {
          title: "Win-back free shipping",
          code: "WB-SHIP",
          startsAt: new Date(Date.now() - 60_000).toISOString(),
          context: { customers: { add: [`gid://shopify/Customer/${alice!.id}`] } },
          minimumRequirement: { subtotal: { greaterThanOrEqualToSubtotal: "30.00" } },
          appliesOncePerCustomer: true,
        },
      },
    );
    expect(body.data.discountCodeFreeShippingCreate.userErrors).toEqual([]);
    expect(
      body.data.discountCodeFreeShippingCreate.codeDiscountNode.codeDiscount.minimumRequirement.greaterThanOrEqualToSubtotal.amount,
    ).toBe("30.00");

    const cheap = state.store.products
      .flatMap((product) => (product.status === "ACTIVE" ? product.variants : []))
      .find((variant) => Number(variant.price) < 30 && variant.inventoryQuantity > 0)!;
    expect(() =>
      emulator.placeOrder(SHOP, { customerId: alice!.id, discountCode: "WB-SHIP", lineItems: [{ variantId: cheap.id, quantity: 1 }] }),
    ).toThrow(new OrderRefused("MINIMUM_SUBTOTAL_NOT_MET"));
    const quantity = Math.ceil(31 / Number(cheap.price));
    const { order } = emulator.placeOrder(SHOP, {
      customerId: alice!.id,
      discountCode: "WB-SHIP",
      lineItems: [{ variantId: cheap.id, quantity }],
    });
    expect(order.shipping).toBe("0.00");
    expect(order.totalDiscounts).toBe("0.00");
  });

  it("updates e-mail consent, reflects it in reads, and refuses what Shopify refuses", async () => {
    const subscribed = customers().find((customer) => customer.marketingState === "SUBSCRIBED")!;
    const update = (customerId: string, marketingState: string) =>
      admin(
        `mutation ($input: CustomerEmailMarketingConsentUpdateInput!) { customerEmailMarketingConsentUpdate(input: $input) {
           customer { defaultEmailAddress { marketingState marketingUpdatedAt } } userErrors { field message code } } }`,
        { input: { customerId, emailMarketingConsent: { marketingState } } },
      );

    const done = await update(`gid://shopify/Customer/${subscribed.id}`, "UNSUBSCRIBED");
    expect(done.body.data.customerEmailMarketingConsentUpdate.userErrors).toEqual([]);
    expect(done.body.data.customerEmailMarketingConsentUpdate.customer.defaultEmailAddress.marketingState).toBe("UNSUBSCRIBED");
    const read = await admin(`query ($id: ID!) { customer(id: $id) { defaultEmailAddress { marketingState } } }`, {
      id: `gid://shopify/Customer/${subscribed.id}`,
    });
    expect(read.body.data.customer.defaultEmailAddress.marketingState).toBe("UNSUBSCRIBED");
    expect(emulator.webhooks.deliveries.at(-1)).toMatchObject({ topic: "customers_email_marketing_consent/update", shop: SHOP });

    expect((await update("gid://shopify/Customer/1", "UNSUBSCRIBED")).body.data.customerEmailMarketingConsentUpdate.userErrors).toEqual([
      { field: ["input", "customerId"], message: "Customer not found", code: "INVALID" },
    ]);
    expect(
      (await update(`gid://shopify/Customer/${subscribed.id}`, "INVALID")).body.data.customerEmailMarketingConsentUpdate.userErrors,
    ).toEqual([expect.objectContaining({ code: "INCLUSION" })]);
  });

  it("registers an external marketing activity once per UTM, records engagements and status changes", async () => {
    const utm = { campaign: "winback-1", source: "winback", medium: "email" };
    const create = () =>
      admin(
        `mutation ($input: MarketingActivityCreateExternalInput!) { marketingActivityCreateExternal(input: $input) { marketingActivity { id title status utmParameters { campaign source medium } } userErrors { field message } } }`,
        {
          input: {
            title: "Win-Back",
            remoteUrl: "https://winback.test/app/campaigns/1",
            tactic: "NEWSLETTER",
            marketingChannelType: "EMAIL",
            status: "ACTIVE",
            utm,
          },
        },
      );
    const created = (await create()).body.data.marketingActivityCreateExternal;
    expect(created.marketingActivity).toMatchObject({ title: "Win-Back", status: "ACTIVE", utmParameters: utm });
    expect((await create()).body.data.marketingActivityCreateExternal.userErrors).toEqual([
      expect.objectContaining({ field: ["input", "utm"] }),
    ]);

    const engagement = await admin(
      `mutation ($id: ID!, $e: MarketingEngagementInput!) { marketingEngagementCreate(marketingActivityId: $id, marketingEngagement: $e) { marketingEngagement { occurredOn sendsCount clicksCount } userErrors { message } } }`,
      {
        id: created.marketingActivity.id,
        e: { occurredOn: "2026-11-20", utcOffset: "+00:00", sendsCount: 120, clicksCount: 9, isCumulative: false },
      },
    );
    expect(engagement.body.data.marketingEngagementCreate).toEqual({
      marketingEngagement: { occurredOn: "2026-11-20", sendsCount: 120, clicksCount: 9 },
      userErrors: [],
    });
    expect(state.marketingEngagements.at(-1)).toMatchObject({ occurredOn: "2026-11-20" });

    const paused = await admin(
      `mutation ($id: ID!) { marketingActivityUpdateExternal(marketingActivityId: $id, input: { status: PAUSED }) { marketingActivity { status } userErrors { message } } }`,
      {
        id: created.marketingActivity.id,
      },
    );
    expect(paused.body.data.marketingActivityUpdateExternal).toEqual({ marketingActivity: { status: "PAUSED" }, userErrors: [] });
  });

  it("receives Flow triggers and refuses an empty handle", async () => {
    const fire = (handle: string) =>
      admin(
        `mutation ($handle: String, $payload: JSON) { flowTriggerReceive(handle: $handle, payload: $payload) { userErrors { field message } } }`,
        {
          handle,
          payload: { "Campaign name": "Win-Back", customer_id: 1 },
        },
      );
    expect((await fire("winback-customer-entered")).body.data.flowTriggerReceive.userErrors).toEqual([]);
    expect(state.flowTriggers.at(-1)).toMatchObject({ handle: "winback-customer-entered", payload: { "Campaign name": "Win-Back" } });
    expect((await fire("")).body.data.flowTriggerReceive.userErrors).toEqual([{ field: ["handle"], message: "Handle can't be blank" }]);
  });
});

describe("throttling", () => {
  it("throttles a burst beyond the bucket, refills at the restore rate, and accounts actual costs", async () => {
    let now = Date.parse("2026-11-20T12:00:00Z");
    const throttled = await ShopifyEmulator.start({
      apiKey: "k",
      apiSecret: "s",
      bucketClock: () => now,
      bucket: { maximumAvailable: 50, restoreRate: 10 },
    });
    try {
      throttled.addShop({ seed: "throttle", customers: 5, shopName: "tiny" });
      const accessToken = throttled.issueAccessToken("tiny.myshopify.com");
      const ask = async () => {
        const { body } = await throttled.graphql(
          "tiny.myshopify.com",
          accessToken,
          JSON.stringify({ query: "query { customers(first: 10) { nodes { id } } }" }),
        );
        return body as {
          data?: unknown;
          errors?: { extensions: { code: string } }[];
          extensions: {
            cost: { requestedQueryCost: number; actualQueryCost: number | null; throttleStatus: { currentlyAvailable: number } };
          };
        };
      };

      // Requested 2 + 10 × 1 = 12; the store has 5 customers, so the actual cost is 2 + 5 = 7.
      const first = await ask();
      expect(first.extensions.cost).toMatchObject({
        requestedQueryCost: 12,
        actualQueryCost: 7,
        throttleStatus: { currentlyAvailable: 43 },
      });
      const burst = [];
      for (let i = 0; i < 8; i++) burst.push(await ask());
      expect(burst.map((response) => response.extensions.cost.throttleStatus.currentlyAvailable)).toEqual([36, 29, 22, 15, 8, 8, 8, 8]);
      const refused = burst.at(-1)!;
      expect(refused.errors).toEqual([
        expect.objectContaining({ message: "Throttled", extensions: expect.objectContaining({ code: "THROTTLED" }) }),
      ]);
      expect(refused.data).toBeUndefined();

      now += 1000; // +10 points
      const after = await ask();
      expect(after.errors).toBeUndefined();
      expect(after.extensions.cost.throttleStatus.currentlyAvailable).toBe(11);
    } finally {
      await throttled.close();
    }
  });

  it("refuses a single query above 1000 points even when the bucket is bigger", async () => {
    const plus = await ShopifyEmulator.start({ apiKey: "k", apiSecret: "s", bucket: { maximumAvailable: 2000, restoreRate: 1000 } });
    try {
      plus.addShop({ seed: "plus", customers: 5, shopName: "plus" });
      const accessToken = plus.issueAccessToken("plus.myshopify.com");
      const cost = (first: number) => `query { customers(first: ${first}) { nodes { orders(first: 3) { nodes { id } } } } }`;
      // 2 + n × (1 + 2 + 3): 166 nodes cost 998, 167 cost 1004.
      const within = (await plus.graphql("plus.myshopify.com", accessToken, JSON.stringify({ query: cost(166) }))).body as any;
      const over = (await plus.graphql("plus.myshopify.com", accessToken, JSON.stringify({ query: cost(167) }))).body as any;
      expect(within.errors).toBeUndefined();
      expect(within.extensions.cost.requestedQueryCost).toBe(998);
      expect(over.errors).toEqual([
        expect.objectContaining({ extensions: expect.objectContaining({ code: "MAX_COST_EXCEEDED", cost: 1004, maxCost: 1000 }) }),
      ]);
    } finally {
      await plus.close();
    }
  });
});

describe("the app's own Admin API client, routed to the emulator", () => {
  beforeEach(async () => {
    await getQueue("shops").obliterate({ force: true });
  });

  it("reads and stores the shop's details through the worker's real job", async () => {
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } });

    expect(await defaultHandlers.syncShopDetails({ shopId: shop.id }, undefined as never)).toBe("synced");

    const stored = await prisma.shop.findUniqueOrThrow({ where: { id: shop.id } });
    const expected = state.store.shop;
    expect(stored).toMatchObject({
      name: expected.name,
      ianaTimezone: expected.ianaTimezone,
      currencyCode: expected.currencyCode,
      contactEmail: expected.contactEmail,
    });
    expect(stored.postalAddress).toMatchObject({
      address1: expected.address.address1,
      city: expected.address.city,
      countryCodeV2: expected.address.countryCodeV2,
    });
  });

  it.each(["wrong-secret", "expired", "wrong-audience"] as const)("refuses token exchange for a %s session token", async (kind) => {
    emulator.addShop({ seed: `refused-${kind}`, customers: 5, shopName: `refused-${kind}` });

    const response = await callRoute("/app._index", await forgedBearerRequest(`refused-${kind}`, "/app", kind));

    expect(response.status).toBe(401);
    expect(await prisma.session.count({ where: { shop: `refused-${kind}.myshopify.com` } })).toBe(0);
  });

  it("installs through token exchange: a session token with no stored session gets an offline token and a shop row", async () => {
    emulator.addShop({ seed: "exchange", customers: 5, shopName: "exchange-shop" });

    const response = await callRoute("/app._index", await adminBearerRequest("exchange-shop", "/app"));

    expect(response.status).toBe(200);
    const session = await prisma.session.findUniqueOrThrow({ where: { id: "offline_exchange-shop.myshopify.com" } });
    expect(session.accessToken).toMatch(/^shpat_/);
    expect(session.refreshToken).toMatch(/^shprt_/); // expiring offline tokens
    expect(emulator.shop("exchange-shop.myshopify.com").accessTokens.has(session.accessToken)).toBe(true);
    expect(await prisma.shop.count({ where: { domain: "exchange-shop.myshopify.com" } })).toBe(1);
  });
});

describe("bulk operations", () => {
  it("exports a 10,000-customer store to JSONL that reads back equal to the store", async () => {
    const big = emulator.addShop({ seed: "bulk-10k", customers: 10_000, shopName: "bulk-shop" });
    const bulkToken = emulator.issueAccessToken("bulk-shop.myshopify.com");
    const query = `{ customers { edges { node { id email firstName lastName numberOfOrders defaultEmailAddress { marketingState }
      orders { edges { node { id createdAt totalPriceSet { shopMoney { amount } } discountCodes lineItems { edges { node { id quantity variant { id } } } } } } } } } } }`;

    const started = await admin(
      `mutation ($q: String!) { bulkOperationRunQuery(query: $q, groupObjects: false) { bulkOperation { id status } userErrors { field message } } }`,
      { q: query },
      bulkToken,
      "bulk-shop.myshopify.com",
    );
    expect(started.body.data.bulkOperationRunQuery.userErrors).toEqual([]);
    const id = started.body.data.bulkOperationRunQuery.bulkOperation.id;
    const second = await admin(
      `mutation ($q: String!) { bulkOperationRunQuery(query: $q, groupObjects: false) { userErrors { code } } }`,
      { q: query },
      bulkToken,
      "bulk-shop.myshopify.com",
    );
    expect(second.body.data.bulkOperationRunQuery.userErrors).toEqual([{ code: "OPERATION_IN_PROGRESS" }]);

    await emulator.bulkOperationsSettled();
    const finished = await admin(
      `query ($id: ID!) { bulkOperation(id: $id) { status objectCount rootObjectCount url } }`,
      { id },
      bulkToken,
      "bulk-shop.myshopify.com",
    );
    const operation = finished.body.data.bulkOperation;
    expect(operation.status).toBe("COMPLETED");
    const lines = (await (await fetch(operation.url)).text())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, any>);
    expect(String(lines.length)).toBe(operation.objectCount);

    // Rebuild customers → orders → line items from __parentId and compare with the store.
    const byId = new Map(lines.map((line) => [line.id as string, { ...line, children: [] as any[] }]));
    for (const line of lines) if (line.__parentId) byId.get(line.__parentId)!.children.push(byId.get(line.id)!);
    const customers = lines.filter((line) => !line.__parentId).map((line) => byId.get(line.id)!);
    expect(String(customers.length)).toBe(operation.rootObjectCount);
    expect(customers.length).toBe(10_000);
    let index = 0;
    for (const history of big.store.histories()) {
      const exported = customers[index++]!;
      expect(exported).toMatchObject({
        id: `gid://shopify/Customer/${history.customer.id}`,
        email: history.customer.email,
        numberOfOrders: String(history.orders.length),
      });
      expect((exported as Record<string, unknown>).defaultEmailAddress).toEqual({ marketingState: history.customer.marketingState });
      expect(
        exported.children.map((order: any) => [
          order.id,
          order.createdAt,
          order.totalPriceSet.shopMoney.amount,
          order.discountCodes,
          order.children.length,
        ]),
      ).toEqual(
        history.orders.map((order) => [
          `gid://shopify/Order/${order.id}`,
          order.createdAt,
          order.total,
          order.discountCodes,
          order.lineItems.length,
        ]),
      );
    }
  }, 120_000);

  it("projects fragments, aliases, __typename, nested objects and a query filter, merging repeated selections", async () => {
    const query = `{ customers(query: "email_marketing_state:subscribed") { edges { node { ...Who id kind: __typename
      defaultEmailAddress { marketingState } defaultEmailAddress { emailAddress }
      orders { nodes { id total: totalPriceSet { shopMoney { amount } } } } } } } }
      fragment Who on Customer { first: firstName }`;
    const started = await admin(
      `mutation ($q: String!) { bulkOperationRunQuery(query: $q, groupObjects: true) { bulkOperation { id } userErrors { message } } }`,
      { q: query },
    );
    expect(started.body.data.bulkOperationRunQuery.userErrors).toEqual([]);
    expect(await emulator.bulkOperationsSettled()).toEqual([]);
    const finished = await admin(`query ($id: ID!) { bulkOperation(id: $id) { status url } }`, {
      id: started.body.data.bulkOperationRunQuery.bulkOperation.id,
    });
    const lines = (await (await fetch(finished.body.data.bulkOperation.url)).text())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));

    const subscribed = [...state.store.histories()].filter(
      (history) => state.customer(history.customer.id)?.marketingState === "SUBSCRIBED",
    );
    const roots = lines.filter((line: any) => !line.__parentId);
    expect(roots.length).toBe(subscribed.length);
    const first = subscribed[0]!;
    expect(roots[0]).toEqual({
      first: first.customer.firstName,
      id: `gid://shopify/Customer/${first.customer.id}`,
      kind: "Customer",
      defaultEmailAddress: { marketingState: "SUBSCRIBED", emailAddress: first.customer.email },
    });
    const children = lines.filter((line: any) => line.__parentId === roots[0].id);
    expect(children.map((line: any) => line.total.shopMoney.amount)).toEqual(state.ordersOf(first.customer.id).map((order) => order.total));
  });

  it("refuses bulk queries Shopify refuses", async () => {
    const run = (q: string) =>
      admin(`mutation ($q: String!) { bulkOperationRunQuery(query: $q, groupObjects: false) { userErrors { field code message } } }`, {
        q,
      });
    expect((await run(`{ shop { name } }`)).body.data.bulkOperationRunQuery.userErrors).toEqual([
      expect.objectContaining({ field: ["query"], code: "INVALID", message: expect.stringMatching(/connection field at the top level/) }),
    ]);
    expect(
      (await run(`{ customers { edges { node { email orders { edges { node { id } } } } } } }`)).body.data.bulkOperationRunQuery.userErrors,
    ).toEqual([expect.objectContaining({ message: expect.stringMatching(/Customer must select id/) })]);
    expect((await run(`{ customers { edges { node { emal } } } }`)).body.data.bulkOperationRunQuery.userErrors).toEqual([
      expect.objectContaining({ code: "INVALID" }),
    ]);
    expect(
      (await run(`query ($q: String) { customers(query: $q) { edges { node { id } } } }`)).body.data.bulkOperationRunQuery.userErrors,
    ).toEqual([expect.objectContaining({ message: expect.stringMatching(/cannot use variables/) })]);
    expect(
      (
        await run(
          `{ customers { nodes { id orders { nodes { id lineItems { nodes { id product { id collections { nodes { id } } } } } } } } } }`,
        )
      ).body.data.bulkOperationRunQuery.userErrors,
    ).toEqual([expect.objectContaining({ message: expect.stringMatching(/more than 2 levels deep/) })]);
  });
});

describe("webhooks", () => {
  let app: Awaited<ReturnType<typeof startAppServer>>;
  /** What Shopify's own `authenticate.webhook` made of each delivery (a check of the emulator's signing). */
  const shopifyVerdicts = new Map<string, { topic: string; shop: string } | number>();
  /** Webhook ids the test server answers with 500 the first time (as an app in trouble would). */
  const failOnce = new Set<string>();

  beforeAll(async () => {
    app = await startAppServer(async (request) => {
      const webhookId = request.headers.get("x-shopify-webhook-id") ?? "";
      shopifyVerdicts.set(
        webhookId,
        await authenticate.webhook(request).then(
          (context) => ({ topic: String(context.topic), shop: context.shop }),
          (thrown: Response) => thrown.status,
        ),
      );
      return failOnce.delete(webhookId) ? new Response(null, { status: 500 }) : undefined;
    });
    emulator.setAppUrl(app.url);
  });
  afterAll(() => app.close());
  beforeEach(async () => {
    await prisma.webhookEvent.deleteMany();
  });

  const customerIds = () => [...state.store.histories()].map((history) => history.customer.id);

  it("delivers orders/create with Shopify's headers, accepted by the app's real verification", async () => {
    const { order, webhook } = emulator.placeOrder(SHOP, { customerId: customerIds()[3]! });
    await webhook!.settled;

    expect(webhook!.attempts.map((attempt) => attempt.status)).toEqual([200]);
    expect(shopifyVerdicts.get(webhook!.webhookId)).toEqual({ topic: "ORDERS_CREATE", shop: SHOP });
    const stored = await prisma.webhookEvent.findFirstOrThrow({ where: { webhookId: webhook!.webhookId } });
    expect(stored).toMatchObject({ shopDomain: SHOP, topic: "orders/create", apiVersion: "2026-10", eventId: webhook!.eventId });
    const body = JSON.parse(stored.payload!);
    expect(body).toMatchObject({
      id: order.id,
      admin_graphql_api_id: `gid://shopify/Order/${order.id}`,
      total_price: order.total,
      customer: { id: order.customerId },
    });
    expect(body.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
  });

  it("repeats a delivery with the same webhook id when asked (the app stores it once)", async () => {
    const { webhook } = emulator.setMarketingConsent(SHOP, customerIds()[4]!, "UNSUBSCRIBED", { times: 2 });
    await webhook!.settled;

    expect(webhook!.attempts.map((attempt) => attempt.status)).toEqual([200, 200]);
    const stored = await prisma.webhookEvent.findMany({ where: { webhookId: webhook!.webhookId } });
    expect(stored.map((event) => [event.topic, event.deliveries])).toEqual([["customers_email_marketing_consent/update", 2]]);
  });

  it("drops the first attempt and retries; retries a non-2xx answer", async () => {
    const dropped = emulator.startCheckout(SHOP, customerIds()[5]!, { dropFirstAttempt: true }).webhook!;
    await dropped.settled;
    expect(dropped.attempts.map((attempt) => attempt.status)).toEqual(["dropped", 200]);

    emulator.setAppUrl(`http://127.0.0.1:${await freePort()}`); // nobody listening
    const lost = emulator.updateCustomer(SHOP, customerIds()[6]!, { firstName: "Renamed" }).webhook!;
    await lost.settled;
    expect(lost.attempts.map((attempt) => attempt.status)).toEqual([0, 0, 0]); // first try + 2 retries
    emulator.setAppUrl(app.url);
  });

  it("retries a delivery the app answered with 500, with the same webhook id", async () => {
    emulator.webhooks.hold();
    const { webhook } = emulator.startCheckout(SHOP, customerIds()[8]!);
    failOnce.add(webhook!.webhookId);
    await emulator.webhooks.release();

    expect(webhook!.attempts.map((attempt) => attempt.status)).toEqual([500, 200]);
    // The 500 came before the app saw it; the retry is the delivery the app stored.
    expect((await prisma.webhookEvent.findFirstOrThrow({ where: { webhookId: webhook!.webhookId } })).deliveries).toBe(1);
  });

  it("holds deliveries and releases them in reverse order, and delays them", async () => {
    emulator.webhooks.hold();
    const created = emulator.createCustomer(SHOP, { firstName: "Ana", lastName: "Reorder", email: "ana.reorder@example.com" });
    const updated = emulator.updateCustomer(SHOP, created.customer.id, { lastName: "Reordered" });
    await emulator.webhooks.release("reversed");
    const received = await prisma.webhookEvent.findMany({
      where: { webhookId: { in: [created.webhook!.webhookId, updated.webhook!.webhookId] } },
      orderBy: { id: "asc" },
    });
    expect(received.map((event) => event.topic)).toEqual(["customers/update", "customers/create"]);

    const startedAt = Date.now();
    const delayed = emulator.startCheckout(SHOP, customerIds()[7]!, { delayMs: 150 }).webhook!;
    await delayed.settled;
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(150);
  });

  it("delivers uninstall and the compliance requests with the shop named in the body, and revokes the token", async () => {
    emulator.addShop({ seed: "leaving", customers: 5, shopName: "leaving-shop" });
    const { accessToken } = await installApp(emulator, "leaving-shop.myshopify.com");
    const customerId = emulator.shop("leaving-shop.myshopify.com").store.customerId(0);

    const deliveries = [
      emulator.requestCustomerData("leaving-shop.myshopify.com", customerId).webhook!,
      emulator.redactCustomer("leaving-shop.myshopify.com", customerId).webhook!,
      emulator.uninstall("leaving-shop.myshopify.com").webhook!,
      emulator.redactShop("leaving-shop.myshopify.com").webhook!,
    ];
    await Promise.all(deliveries.map((delivery) => delivery.settled));

    expect(deliveries.map((delivery) => [delivery.topic, delivery.attempts.at(-1)!.status])).toEqual([
      ["customers/data_request", 200],
      ["customers/redact", 200],
      ["app/uninstalled", 200],
      ["shop/redact", 200],
    ]);
    expect((await admin(`query { shop { name } }`, undefined, accessToken, "leaving-shop.myshopify.com")).status).toBe(401);
    // After the uninstall only the compliance topics go out.
    expect(emulator.updateCustomer("leaving-shop.myshopify.com", customerId, { firstName: "Gone" }).webhook).toBeNull();
  });
});
