import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { CustomerHistory, OrderRecord, ProductRecord } from "../support/shopify-emulator/model";
import {
  CUSTOMER_ID_BASE,
  DEFAULT_NOW,
  daysFromCivil,
  generateStore,
  ORDER_ID_BASE,
  rfmGroup,
  utcOffsetMinutes,
} from "../support/shopify-emulator/store-generator";
import { LOCALES, TIME_ZONES } from "../support/shopify-emulator/store-vocabulary";

const DAY_MS = 86_400_000;
const SAMPLE = 2_000;
const SEED = "store-generator-test";
const NOW_MS = Date.parse(DEFAULT_NOW);
const MONEY = /^\d+\.\d{2}$/;

const store = generateStore({ seed: SEED, customers: SAMPLE });
const histories = [...store.histories()];
const orders = histories.flatMap((history) => history.orders);
const productsById = new Map(store.products.map((product) => [product.id, product]));

/** Integer cents of a Shopify amount; throws unless it is a decimal string with two decimals. */
function cents(amount: string): number {
  if (!MONEY.test(amount)) throw new Error(`not a 2-decimal amount: ${amount}`);
  return Math.round(Number(amount) * 100);
}

function ms(timestamp: string): number {
  return Date.parse(timestamp);
}

function share<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  return items.filter(predicate).length / items.length;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function placed(history: CustomerHistory): OrderRecord[] {
  return history.orders.filter((order) => order.cancelledAt === null);
}

function daysSinceLastOrder(history: CustomerHistory): number {
  const kept = placed(history);
  return kept.length === 0 ? Infinity : (NOW_MS - ms(kept[kept.length - 1]!.createdAt)) / DAY_MS;
}

function netSpendCents(history: CustomerHistory): number {
  return placed(history).reduce((sum, order) => sum + cents(order.total) - cents(order.refunded), 0);
}

const hourFormats = new Map<string, Intl.DateTimeFormat>();
function localHour(timestamp: string, timeZone: string): number {
  let format = hourFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", hourCycle: "h23" });
    hourFormats.set(timeZone, format);
  }
  return Number(format.format(new Date(timestamp)));
}

function expectUnique(values: readonly unknown[]): void {
  expect(new Set(values).size).toBe(values.length);
}

describe("store generator: determinism", () => {
  it("gives the same records for the same seed and options", () => {
    const again = generateStore({ seed: SEED, customers: SAMPLE });
    expect(again.shop).toEqual(store.shop);
    expect(again.products).toEqual(store.products);
    for (let i = 0; i < 200; i++) expect(again.history(i)).toEqual(histories[i]);
  });

  it("gives different records for a different seed", () => {
    const other = generateStore({ seed: "another-seed", customers: SAMPLE });
    expect(other.products.map((product) => product.title)).not.toEqual(store.products.map((product) => product.title));
    const differing = histories.slice(0, 50).filter((history, i) => JSON.stringify(other.history(i)) !== JSON.stringify(history));
    expect(differing.length).toBeGreaterThan(45);
  });

  it("reads a customer at random exactly as the stream yields it", () => {
    for (const index of [SAMPLE - 1, 1234, 0, 777, 1, 1999]) expect(store.history(index)).toEqual(histories[index]);
  });

  it("fills in the default options and validates them", () => {
    expect(store.options).toEqual({
      seed: SEED,
      customers: SAMPLE,
      products: 120,
      shopName: "winback-demo",
      currencyCode: "EUR",
      now: new Date(DEFAULT_NOW),
    });
    expect(() => generateStore({ seed: 1, customers: 1_000_001 })).toThrow(RangeError);
    expect(() => generateStore({ seed: 1, customers: 10, shopName: "Not A Domain" })).toThrow(RangeError);
    expect(() => store.history(SAMPLE)).toThrow(RangeError);
    expect(() => store.history(-1)).toThrow(RangeError);
  });

  it("maps customer ids and order ids back to their place", () => {
    for (const index of [0, 1, 999, SAMPLE - 1]) {
      expect(store.customerId(index)).toBe(CUSTOMER_ID_BASE + index);
      expect(store.customerIndex(store.customerId(index))).toBe(index);
    }
    expect(store.customerIndex(CUSTOMER_ID_BASE + SAMPLE)).toBeUndefined();
    expect(store.customerIndex(CUSTOMER_ID_BASE - 1)).toBeUndefined();
    expect(store.customerIndex(CUSTOMER_ID_BASE + 0.5)).toBeUndefined();
    for (const history of histories.slice(0, 300)) {
      history.orders.forEach((order, position) => expect(store.orderLocation(order.id)).toEqual({ index: history.index, position }));
      expect(store.orderLocation(ORDER_ID_BASE + history.index * 1000 + history.orders.length)).toBeUndefined();
    }
    expect(store.orderLocation(ORDER_ID_BASE - 1)).toBeUndefined();
    expect(store.orderLocation(ORDER_ID_BASE + SAMPLE * 1000)).toBeUndefined();
  });
});

describe("store generator: shop and catalogue", () => {
  it("describes the shop", () => {
    expect(store.shop).toMatchObject({
      domain: "winback-demo.myshopify.com",
      name: "Winback Demo",
      ianaTimezone: "Europe/Madrid",
      currencyCode: "EUR",
    });
    expect(store.shop.email).toMatch(/@example\.com$/);
    expect(store.shop.contactEmail).toMatch(/@example\.com$/);
    const { address } = store.shop;
    for (const part of [address.address1, address.city, address.zip, address.country, address.countryCodeV2]) expect(part).not.toBe("");
    const usd = generateStore({ seed: SEED, customers: 50, shopName: "acme-coffee", currencyCode: "USD" });
    expect(usd.shop).toMatchObject({
      domain: "acme-coffee.myshopify.com",
      name: "Acme Coffee",
      currencyCode: "USD",
      ianaTimezone: "America/Los_Angeles",
    });
    expect(usd.history(0).orders.every((order) => order.currencyCode === "USD")).toBe(true);
  });

  it("builds a coherent catalogue", () => {
    const products = store.products;
    expect(products).toHaveLength(120);
    expect(new Set(products.map((product) => product.productType)).size).toBeGreaterThanOrEqual(6);
    expect(new Set(products.map((product) => product.productType)).size).toBeLessThanOrEqual(8);
    expect(new Set(products.map((product) => product.vendor)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(products.flatMap((product) => product.collections)).size).toBe(8);
    const variants = products.flatMap((product) => product.variants);
    expectUnique(products.map((product) => product.id));
    expectUnique(products.map((product) => product.handle));
    expectUnique(variants.map((variant) => variant.id));
    expectUnique(variants.map((variant) => variant.sku));
    for (const product of products) {
      expect(product.collections.length).toBeGreaterThanOrEqual(1);
      expect(product.collections.length).toBeLessThanOrEqual(3);
      expect(product.variants.length).toBeGreaterThanOrEqual(1);
      expect(product.variants.length).toBeLessThanOrEqual(4);
      expect(product.handle).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      if (product.imageUrl !== null) {
        expect(product.imageUrl).toBe(`https://cdn.shopify.com/s/files/1/0000/0001/files/${product.handle}.jpg`);
      }
      expect(ms(product.createdAt)).toBeLessThanOrEqual(ms(product.updatedAt));
      expect(ms(product.updatedAt)).toBeLessThanOrEqual(NOW_MS);
      if (product.status !== "ACTIVE") expect(product.publishedAt).toBeNull();
      if (product.publishedAt !== null) expect(ms(product.publishedAt)).toBeGreaterThanOrEqual(ms(product.createdAt));
    }
    for (const variant of variants) {
      const price = cents(variant.price);
      expect(price).toBeGreaterThanOrEqual(400);
      expect(price).toBeLessThanOrEqual(18_000);
      if (variant.unitCost !== null) {
        const ratio = cents(variant.unitCost) / price;
        expect(ratio).toBeGreaterThanOrEqual(0.3);
        expect(ratio).toBeLessThanOrEqual(0.65);
      }
      if (!variant.tracked) expect(variant.inventoryQuantity).toBe(0);
    }
    expect(share(variants, (variant) => variant.unitCost !== null)).toBeCloseTo(0.85, 1);
    expect(share(variants, (variant) => variant.tracked && variant.inventoryQuantity === 0)).toBeGreaterThan(0.03);
    expect(share(variants, (variant) => variant.tracked && variant.inventoryQuantity === 0)).toBeLessThan(0.14);
    expect(share(products, (product) => product.status === "ACTIVE")).toBeGreaterThan(0.84);
    expect(products.some((product) => product.status === "DRAFT")).toBe(true);
    expect(products.some((product) => product.status === "ARCHIVED")).toBe(true);
    expect(products.some((product) => product.status === "ACTIVE" && product.publishedAt === null)).toBe(true);
    expect(products.some((product) => product.imageUrl === null)).toBe(true);
  });
});

describe("store generator: customers and orders", () => {
  it("gives every record a unique, safe id and every customer a unique example e-mail", () => {
    const lineItems = orders.flatMap((order) => order.lineItems);
    const ids = [
      ...histories.map((history) => history.customer.id),
      ...orders.map((order) => order.id),
      ...lineItems.map((item) => item.id),
    ];
    expectUnique(ids);
    for (const id of ids) expect(Number.isSafeInteger(id) && id > 0).toBe(true);
    expectUnique(orders.map((order) => order.name));
    expectUnique(histories.map((history) => history.customer.email));
    for (const history of histories) {
      expect(history.customer.email).toMatch(/^[a-z0-9.]+@example\.(com|net|org)$/);
      expect(history.customer.email).toContain(String(history.index));
      expect(store.customerIndex(history.customer.id)).toBe(history.index);
      for (const order of history.orders) expect(order.customerId).toBe(history.customer.id);
    }
  });

  it("keeps amounts consistent, in cents", () => {
    for (const order of orders) {
      const lineItemsTotal = order.lineItems.reduce((sum, item) => sum + cents(item.price) * item.quantity, 0);
      expect(cents(order.lineItemsTotal)).toBe(lineItemsTotal);
      expect(cents(order.subtotal)).toBe(lineItemsTotal - cents(order.totalDiscounts));
      expect(cents(order.total)).toBe(cents(order.subtotal) + cents(order.shipping));
      expect(cents(order.shipping)).toBe(cents(order.subtotal) >= 5000 ? 0 : 495);
      expect(cents(order.refunded)).toBeLessThanOrEqual(cents(order.total));
      expect(order.lineItems.length).toBeGreaterThanOrEqual(1);
      expect(order.lineItems.length).toBeLessThanOrEqual(4);
      expect(order.sourceName).toBe("web");
    }
  });

  it("orders events in time", () => {
    for (const { customer, orders: history } of histories) {
      const created = ms(customer.createdAt);
      expect(created).toBeLessThanOrEqual(NOW_MS);
      expect(ms(customer.updatedAt)).toBeLessThanOrEqual(NOW_MS);
      expect(ms(customer.updatedAt)).toBeGreaterThanOrEqual(created);
      if (customer.marketingUpdatedAt !== null) {
        expect(ms(customer.marketingUpdatedAt)).toBeGreaterThanOrEqual(created);
        expect(ms(customer.updatedAt)).toBeGreaterThanOrEqual(ms(customer.marketingUpdatedAt));
      }
      let previous = created;
      for (const order of history) {
        const placedAt = ms(order.createdAt);
        expect(placedAt).toBeGreaterThan(previous);
        expect(placedAt).toBeLessThanOrEqual(NOW_MS);
        expect(placedAt).toBeGreaterThanOrEqual(NOW_MS - 3 * 365 * DAY_MS - DAY_MS);
        expect(ms(order.processedAt)).toBeGreaterThanOrEqual(placedAt);
        expect(ms(order.updatedAt)).toBeGreaterThanOrEqual(ms(order.processedAt));
        expect(ms(order.updatedAt)).toBeLessThanOrEqual(NOW_MS);
        expect(ms(customer.updatedAt)).toBeGreaterThanOrEqual(ms(order.updatedAt));
        if (order.cancelledAt !== null) {
          expect(ms(order.cancelledAt)).toBeGreaterThan(placedAt);
          expect(ms(order.updatedAt)).toBeGreaterThanOrEqual(ms(order.cancelledAt));
        }
        previous = placedAt;
      }
    }
  });

  it("sells only active or archived products, while they were on sale", () => {
    for (const order of orders) {
      expectUnique(order.lineItems.map((item) => item.productId));
      for (const item of order.lineItems) {
        const product = productsById.get(item.productId) as ProductRecord;
        const variant = product.variants.find((candidate) => candidate.id === item.variantId)!;
        expect(["ACTIVE", "ARCHIVED"]).toContain(product.status);
        expect(item).toMatchObject({ title: product.title, vendor: product.vendor, sku: variant.sku, price: variant.price });
        if (product.status === "ARCHIVED") expect(ms(order.createdAt)).toBeLessThan(ms(product.updatedAt));
        else expect(ms(order.createdAt)).toBeGreaterThanOrEqual(ms(product.publishedAt!));
      }
    }
  });

  it("gives customers names, addresses and time zones of their locale", () => {
    const locales = new Map(LOCALES.map((locale) => [locale.locale, locale]));
    for (const { customer } of histories) {
      const locale = locales.get(customer.locale)!;
      expect(locale.firstNames).toContain(customer.firstName);
      expect(locale.lastNames).toContain(customer.lastName);
      expect(customer.defaultAddress.countryCodeV2).toBe(locale.countryCode);
      const city = locale.cities.find((candidate) => candidate.city === customer.defaultAddress.city)!;
      expect(city.timezone).toBe(customer.timezone);
      expect(city.zips).toContain(customer.defaultAddress.zip);
    }
    const customers = histories.map((history) => history.customer);
    expect(share(customers, (customer) => customer.locale === "en-US")).toBeCloseTo(0.4, 1);
    expect(new Set(customers.map((customer) => customer.locale))).toEqual(new Set(locales.keys()));
  });

  it("mixes marketing consent like a real store", () => {
    const customers = histories.map((history) => history.customer);
    const targets = { SUBSCRIBED: 0.55, NOT_SUBSCRIBED: 0.28, UNSUBSCRIBED: 0.1, PENDING: 0.05, INVALID: 0.02 };
    for (const [state, target] of Object.entries(targets)) {
      expect(Math.abs(share(customers, (customer) => customer.marketingState === state) - target)).toBeLessThan(0.035);
    }
    for (const customer of customers) {
      if (customer.marketingState === "NOT_SUBSCRIBED" && customer.marketingUpdatedAt === null)
        expect(customer.marketingOptInLevel).toBeNull();
      if (customer.marketingState !== "NOT_SUBSCRIBED") {
        expect(customer.marketingOptInLevel).not.toBeNull();
        expect(customer.marketingUpdatedAt).not.toBeNull();
      }
    }
    expect(customers.some((customer) => customer.marketingState === "NOT_SUBSCRIBED" && customer.marketingUpdatedAt !== null)).toBe(true);
  });

  it("has prospects, one-time buyers, repeat buyers, lapsed high-value buyers and loyal ones", () => {
    expect(share(histories, (history) => history.orders.length === 0)).toBeCloseTo(0.1, 1);
    expect(Math.abs(share(histories, (history) => history.orders.length === 1) - 0.4)).toBeLessThan(0.04);
    expect(Math.abs(share(histories, (history) => history.orders.length >= 2) - 0.5)).toBeLessThan(0.04);
    const lapsedValuable = share(histories, (history) => {
      const days = daysSinceLastOrder(history);
      return placed(history).length >= 3 && days >= 90 && days <= 400 && netSpendCents(history) >= 25_000;
    });
    expect(lapsedValuable).toBeGreaterThan(0.05);
    expect(share(histories, (history) => placed(history).length >= 5 && daysSinceLastOrder(history) < 60)).toBeGreaterThan(0.05);
  });

  it("gives repeat buyers a personal cadence", () => {
    const cadences: number[] = [];
    const deviations: number[] = [];
    for (const history of histories.filter((candidate) => candidate.orders.length >= 4)) {
      const times = history.orders.map((order) => ms(order.createdAt));
      const gaps = times.slice(1).map((time, k) => (time - times[k]!) / DAY_MS);
      const cadence = median(gaps);
      cadences.push(cadence);
      deviations.push(median(gaps.map((gap) => Math.abs(gap / cadence - 1))));
    }
    const sorted = [...cadences].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length * 0.1)]).toBeLessThan(30);
    expect(sorted[Math.floor(sorted.length * 0.9)]).toBeGreaterThan(60);
    expect(median(deviations)).toBeLessThan(0.35);
  });

  it("derives Shopify-like RFM groups from the history", () => {
    for (const history of histories) {
      const { customer } = history;
      if (customer.rfmGroup === null) {
        expect(ms(customer.createdAt)).toBeGreaterThan(NOW_MS - DAY_MS);
        continue;
      }
      expect(customer.rfmGroup).toBe(rfmGroup(placed(history).length, daysSinceLastOrder(history), netSpendCents(history)));
      expect(customer.predictedSpendTier).not.toBeNull();
    }
    const groups = new Set(histories.map((history) => history.customer.rfmGroup));
    for (const group of ["PROSPECTS", "NEW", "CHAMPIONS", "LOYAL", "AT_RISK", "DORMANT", "ALMOST_LOST"]) expect(groups).toContain(group);
  });

  it("peaks in late November and December", () => {
    const firstDay = Math.floor((NOW_MS - 3 * 365 * DAY_MS) / DAY_MS);
    const lastDay = Math.floor(NOW_MS / DAY_MS);
    let holidayDays = 0;
    for (let day = firstDay; day <= lastDay; day++) if (new Date(day * DAY_MS).getUTCMonth() >= 10) holidayDays++;
    const holidayOrders = orders.filter((order) => new Date(order.createdAt).getUTCMonth() >= 10).length;
    const ratio = holidayOrders / holidayDays / (orders.length / (lastDay - firstDay + 1));
    expect(ratio).toBeGreaterThan(1.15);
  });

  it("places orders at each customer's usual local hours", () => {
    let daytime = 0;
    const concentration: number[] = [];
    for (const history of histories) {
      const hours = history.orders.map((order) => localHour(order.createdAt, history.customer.timezone));
      daytime += hours.filter((hour) => hour >= 9).length;
      if (hours.length < 5) continue;
      const counts = new Array<number>(24).fill(0);
      for (const hour of hours) counts[hour]! += 1;
      const usual = counts.indexOf(Math.max(...counts));
      const near = hours.filter((hour) => Math.min((hour - usual + 24) % 24, (usual - hour + 24) % 24) <= 2).length;
      concentration.push(near / hours.length);
    }
    expect(daytime / orders.length).toBeGreaterThan(0.85);
    expect(concentration.reduce((sum, value) => sum + value, 0) / concentration.length).toBeGreaterThan(0.7);
  });

  it("converts local times with the right UTC offsets", () => {
    const formats = new Map<string, Intl.DateTimeFormat>();
    for (const timeZone of Object.keys(TIME_ZONES)) {
      const format = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" });
      formats.set(timeZone, format);
      for (let day = daysFromCivil(2022, 1, 1); day < daysFromCivil(2028, 1, 1); day++) {
        const offset = utcOffsetMinutes(timeZone, day);
        const localNoon = day * DAY_MS + 12 * 3_600_000 - offset * 60_000;
        const name = format.formatToParts(localNoon).find((part) => part.type === "timeZoneName")!.value;
        const match = /GMT(?:([+-])(\d{2}):(\d{2}))?/.exec(name)!;
        const expected = match[1] ? (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
        if (offset !== expected) expect({ timeZone, day, offset }).toEqual({ timeZone, day, offset: expected });
      }
    }
  });

  it("uses a few discount codes, computed on the line items", () => {
    const percents: Record<string, number> = { WELCOME10: 10, BFCM20: 20, SPRING15: 15, SUMMER10: 10 };
    const discounted = orders.filter((order) => order.discountCodes.length > 0);
    expect(discounted.length / orders.length).toBeGreaterThan(0.1);
    expect(discounted.length / orders.length).toBeLessThan(0.2);
    for (const order of orders) {
      expect(order.discountCodes.length).toBeLessThanOrEqual(1);
      const code = order.discountCodes[0];
      const expected = code === undefined ? 0 : Math.round((cents(order.lineItemsTotal) * percents[code]!) / 100);
      expect(cents(order.totalDiscounts)).toBe(expected);
      if (code === "BFCM20") expect([10, 11]).toContain(new Date(order.createdAt).getUTCMonth());
    }
    for (const history of histories) {
      history.orders.slice(1).forEach((order) => expect(order.discountCodes).not.toContain("WELCOME10"));
    }
    expect(new Set(discounted.flatMap((order) => order.discountCodes))).toEqual(new Set(Object.keys(percents)));
  });

  it("cancels and refunds a few orders", () => {
    const cancelled = orders.filter((order) => order.cancelledAt !== null);
    const partial = orders.filter((order) => order.financialStatus === "PARTIALLY_REFUNDED");
    expect(cancelled.length / orders.length).toBeGreaterThan(0.01);
    expect(cancelled.length / orders.length).toBeLessThan(0.035);
    expect(partial.length / orders.length).toBeGreaterThan(0.02);
    expect(partial.length / orders.length).toBeLessThan(0.045);
    for (const order of cancelled) {
      expect(order.cancelReason).not.toBeNull();
      expect(order.refunded).toBe(order.total);
      expect(["REFUNDED", "VOIDED"]).toContain(order.financialStatus);
      expect(ms(order.cancelledAt!) - ms(order.createdAt)).toBeLessThanOrEqual(36 * 3_600_000);
    }
    for (const order of partial) {
      expect(cents(order.refunded)).toBeGreaterThan(0);
      expect(cents(order.refunded)).toBeLessThan(cents(order.total));
    }
    for (const order of orders.filter(
      (candidate) => candidate.cancelledAt === null && candidate.financialStatus !== "PARTIALLY_REFUNDED",
    )) {
      expect(order).toMatchObject({ financialStatus: "PAID", refunded: "0.00", cancelReason: null });
    }
  });

  it("gives recommendations a signal: favourite product types and products bought together", () => {
    const topTypeShares = histories
      .filter((history) => history.orders.length >= 5)
      .map((history) => {
        const counts = new Map<string, number>();
        const items = history.orders.flatMap((order) => order.lineItems);
        for (const item of items) {
          const type = productsById.get(item.productId)!.productType;
          counts.set(type, (counts.get(type) ?? 0) + 1);
        }
        return Math.max(...counts.values()) / items.length;
      });
    expect(median(topTypeShares)).toBeGreaterThan(0.45);

    const single = new Map<number, number>();
    const pairs = new Map<string, number>();
    for (const order of orders) {
      const ids = order.lineItems.map((item) => item.productId).sort((a, b) => a - b);
      ids.forEach((id, i) => {
        single.set(id, (single.get(id) ?? 0) + 1);
        for (const other of ids.slice(i + 1)) pairs.set(`${id}:${other}`, (pairs.get(`${id}:${other}`) ?? 0) + 1);
      });
    }
    const strongPairs = [...pairs].filter(([key, count]) => {
      const [a, b] = key.split(":").map(Number) as [number, number];
      return count >= 20 && (count * orders.length) / (single.get(a)! * single.get(b)!) > 5;
    });
    expect(strongPairs.length).toBeGreaterThanOrEqual(5);
  });
});

describe("store generator: scale", () => {
  it("streams 1,000,000 customers in bounded memory", { timeout: 300_000 }, async () => {
    const script = path.resolve("test/support/shopify-emulator/fixtures/generate-million.ts");
    const child = spawn(process.execPath, [path.resolve("node_modules/tsx/dist/cli.mjs"), script], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code, output).toBe(0);
    const result = JSON.parse(output.trim().split("\n").at(-1)!) as {
      customers: number;
      orders: number;
      lineItems: number;
      peakRssMb: number;
    };
    expect(result.customers).toBe(1_000_000);
    expect(result.orders).toBeGreaterThan(2_000_000);
    expect(result.lineItems).toBeGreaterThan(result.orders);
    expect(result.peakRssMb).toBeLessThan(512);
  });
});
