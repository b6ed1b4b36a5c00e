/**
 * A deterministic synthetic store: a coffee and tea shop with a catalogue and up to a million
 * customers, each with an order history generated on demand from (seed, customer index).
 *
 * Rules the emulator's users can rely on:
 * - Ids: customer 7_000_000_000_000 + index; order 5_000_000_000_000 + index × 1000 + k (k-th order of
 *   that customer, oldest first) named "#" + (1001 + index × 1000 + k) — unique, not chronological
 *   across customers; line item 10_000_000_000_000 + index × 10_000 + k × 10 + position; product
 *   8_000_000_000_000 + j; variant 4_000_000_000_000 + j × 10 + v.
 * - Customers: 10 % prospects (no order), 40 % one-time buyers, 22 % lapsed repeat buyers (last order
 *   90–400 days ago; a third of them frequent and high-value: the "at risk" audience), 18 % active repeat
 *   buyers, 10 % loyal ones still ordering. Repeat buyers order at a personal cadence (log-normal median
 *   gap, each gap jittered ±30 %); histories span at most 3 years; late November and December peak.
 * - Consent: SUBSCRIBED 55 %, NOT_SUBSCRIBED 28 %, UNSUBSCRIBED 10 %, PENDING 5 %, INVALID 2 %.
 * - Orders: 1–4 line items; codes WELCOME10 (10 %, first orders), BFCM20 (20 %, Black Friday to Cyber
 *   Monday), SPRING15 (15 %, 20 March–May), SUMMER10 (10 %, 21 June–August); shipping free from 50.00
 *   of subtotal, else 4.95; 2 % cancelled (refunded = total), 3 % partially refunded.
 * - rfmGroup/predictedSpendTier follow `rfmGroup`/`spendTier` below (null for customers created in the
 *   last 24 hours, as Shopify computes them daily).
 */
import type {
  AddressRecord,
  CustomerHistory,
  CustomerRecord,
  GeneratedStore,
  LineItemRecord,
  MarketingOptInLevel,
  MarketingState,
  OrderRecord,
  PredictedSpendTier,
  ProductRecord,
  RfmGroup,
  ShopRecord,
  StoreOptions,
  VariantRecord,
} from "./model";
import { cumulativeWeights, hashString, Random } from "./random";
import {
  COLLECTIONS,
  COMPANY_NAMES,
  DISCOUNT_CODES,
  EMAIL_DOMAINS,
  emailWord,
  LOCALES,
  PRODUCT_TYPES,
  SHOP_LOCATIONS,
  TIME_ZONES,
  type LocaleInfo,
  type ProductTypeInfo,
  type ZoneRule,
} from "./store-vocabulary";

export const CUSTOMER_ID_BASE = 7_000_000_000_000;
export const ORDER_ID_BASE = 5_000_000_000_000;
export const LINE_ITEM_ID_BASE = 10_000_000_000_000;
export const PRODUCT_ID_BASE = 8_000_000_000_000;
export const VARIANT_ID_BASE = 4_000_000_000_000;
const SHOP_ID_BASE = 60_000_000_000;
export const MAX_CUSTOMERS = 1_000_000;
const MAX_PRODUCTS = 10_000;
/** Order ids leave room for this many orders per customer (index × stride + k). */
const ORDER_STRIDE = 1000;
const MAX_ORDERS_PER_CUSTOMER = ORDER_STRIDE - 1;
const MAX_LINE_ITEMS = 4;

export const DEFAULT_NOW = "2026-11-20T12:00:00.000Z";
const DEFAULT_PRODUCTS = 120;
const DEFAULT_SHOP_NAME = "winback-demo";
const DEFAULT_CURRENCY = "EUR";

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const DAY_SECONDS = 86_400;
/** Orders reach back this far; the shop opened a year earlier (first products, early sign-ups). */
const HISTORY_DAYS = 3 * 365;
const STORE_AGE_DAYS = 4 * 365;

const FREE_SHIPPING_FROM_CENTS = 5000;
const SHIPPING_CENTS = 495;
/** Net spend from which a customer counts as high-value (RFM) and is tagged "vip". */
const HIGH_VALUE_CENTS = 25_000;
const VIP_CENTS = 50_000;

const KIND_PRODUCT = 1;
const KIND_CATALOGUE = 2;
const KIND_CUSTOMER = 3;

type Options = GeneratedStore["options"];

// ---------------------------------------------------------------------------------------------
// Calendar and time zones (pure arithmetic: no Intl in the hot path, no dependency on the host's tz data)

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const monthFromMarch = (month + 9) % 12;
  const dayOfYear = Math.floor((153 * monthFromMarch + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function yearOfDay(dayNumber: number): number {
  const shifted = dayNumber + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  return yearOfEra + era * 400 + (monthFromMarch >= 10 ? 1 : 0);
}

/** 0 = Sunday … 6 = Saturday. */
function weekday(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

function lastSunday(year: number, month: number): number {
  const last = daysFromCivil(year, month + 1, 1) - 1;
  return last - weekday(last);
}

function nthSunday(year: number, month: number, n: number): number {
  const first = daysFromCivil(year, month, 1);
  return first + ((7 - weekday(first)) % 7) + 7 * (n - 1);
}

const DST_YEARS_FROM = 1900;
const DST_YEARS = 400;
const dstCache = { EU: new Int32Array(DST_YEARS * 2), US: new Int32Array(DST_YEARS * 2) };

/** [first day, first day after] of summer time, as local day numbers; daytime hours of both transition days are on the new offset. */
function summerTime(rule: "EU" | "US", year: number): Int32Array {
  const slot = year - DST_YEARS_FROM;
  const cache = dstCache[rule];
  if (slot >= 0 && slot < DST_YEARS) {
    if (cache[slot * 2] === 0) {
      cache[slot * 2] = rule === "EU" ? lastSunday(year, 3) : nthSunday(year, 3, 2);
      cache[slot * 2 + 1] = rule === "EU" ? lastSunday(year, 10) : nthSunday(year, 11, 1);
    }
    return cache.subarray(slot * 2, slot * 2 + 2);
  }
  return rule === "EU"
    ? Int32Array.of(lastSunday(year, 3), lastSunday(year, 10))
    : Int32Array.of(nthSunday(year, 3, 2), nthSunday(year, 11, 1));
}

function zoneOffset(zone: ZoneRule, localDay: number): number {
  if (zone.daylightSaving === null) return zone.standardOffsetMinutes;
  const range = summerTime(zone.daylightSaving, yearOfDay(localDay));
  const inSummer = localDay >= (range[0] ?? 0) && localDay < (range[1] ?? 0);
  return zone.standardOffsetMinutes + (inSummer ? 60 : 0);
}

function zoneRule(timezone: string): ZoneRule {
  const zone = TIME_ZONES[timezone];
  if (!zone) throw new RangeError(`no offset rule for time zone ${timezone}`);
  return zone;
}

/** Minutes east of UTC in a customer time zone during the daytime of a local date (days since 1970-01-01). */
export function utcOffsetMinutes(timezone: string, localDay: number): number {
  return zoneOffset(zoneRule(timezone), localDay);
}

function localToUtc(zone: ZoneRule, localDay: number, secondOfDay: number): number {
  return localDay * DAY_MS + secondOfDay * SECOND_MS - zoneOffset(zone, localDay) * MINUTE_MS;
}

function localDayOf(zone: ZoneRule, utcMs: number): number {
  const approximate = Math.floor(utcMs / DAY_MS);
  return Math.floor((utcMs + zoneOffset(zone, approximate) * MINUTE_MS) / DAY_MS);
}

const PEAK_SEASON = 1;
const BLACK_FRIDAY = 2;
const SPRING = 4;
const SUMMER = 8;

/** Per-day flags for the history window, and the windows in which repeat buyers add a gift order. */
interface Calendar {
  firstDay: number;
  flags: Uint8Array;
  giftWindows: readonly (readonly [number, number])[];
}

function seasonFlags(month: number, dayOfMonth: number): number {
  let flags = 0;
  if ((month === 11 && dayOfMonth >= 20) || (month === 12 && dayOfMonth <= 24)) flags |= PEAK_SEASON;
  if ((month === 3 && dayOfMonth >= 20) || month === 4 || month === 5) flags |= SPRING;
  if ((month === 6 && dayOfMonth >= 21) || month === 7 || month === 8) flags |= SUMMER;
  return flags;
}

/** Black Friday (the day after the fourth Thursday of November) to Cyber Monday. */
function blackFridayWeekend(year: number): readonly [number, number] {
  const first = daysFromCivil(year, 11, 1);
  const thanksgiving = first + ((4 - weekday(first) + 7) % 7) + 21;
  return [thanksgiving + 1, thanksgiving + 4];
}

function buildCalendar(firstDay: number, lastDay: number): Calendar {
  const flags = new Uint8Array(lastDay - firstDay + 1);
  for (let day = firstDay; day <= lastDay; day++) {
    const date = new Date(day * DAY_MS);
    flags[day - firstDay] = seasonFlags(date.getUTCMonth() + 1, date.getUTCDate());
  }
  const giftWindows: (readonly [number, number])[] = [];
  for (let year = yearOfDay(firstDay); year <= yearOfDay(lastDay); year++) {
    const [friday, monday] = blackFridayWeekend(year);
    for (let day = Math.max(friday, firstDay); day <= Math.min(monday, lastDay); day++) {
      flags[day - firstDay] = (flags[day - firstDay] ?? 0) | BLACK_FRIDAY;
    }
    giftWindows.push([daysFromCivil(year, 11, 25), daysFromCivil(year, 12, 22)]);
  }
  return { firstDay, flags, giftWindows };
}

function dayFlags(calendar: Calendar, day: number): number {
  return calendar.flags[day - calendar.firstDay] ?? 0;
}

// ---------------------------------------------------------------------------------------------
// Formatting

const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, "0"));

/** Integer cents as Shopify's decimal string. */
function money(cents: number): string {
  return `${Math.floor(cents / 100)}.${TWO_DIGITS[cents % 100]}`;
}

const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, "0"));
/** "YYYY-MM-DDT" by day number: formatting timestamps is the generator's hottest path. */
const dayPrefixes = new Map<number, string>();
const MAX_CACHED_DAYS = 100_000;

function dayPrefix(day: number): string {
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    if (dayPrefixes.size >= MAX_CACHED_DAYS) dayPrefixes.clear();
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  return prefix;
}

/** Same as `new Date(ms).toISOString()`, several times faster. */
function iso(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  const msOfDay = ms - day * DAY_MS;
  const seconds = Math.floor(msOfDay / SECOND_MS);
  return `${dayPrefix(day)}${TWO_DIGITS[Math.floor(seconds / 3600)]}:${TWO_DIGITS[Math.floor(seconds / 60) % 60]}:${TWO_DIGITS[seconds % 60]}.${THREE_DIGITS[msOfDay % SECOND_MS]}Z`;
}

function wholeSeconds(ms: number): number {
  return Math.floor(ms / SECOND_MS) * SECOND_MS;
}

/** A whole-second instant uniformly in [from, to] (both clamped to `to` when from > to). */
function instantBetween(rng: Random, from: number, to: number): number {
  if (from >= to) return to;
  return Math.min(to, Math.max(from, wholeSeconds(rng.between(from, to))));
}

function slug(title: string): string {
  return title
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/'/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

function titleCase(shopName: string): string {
  return shopName
    .split("-")
    .filter((word) => word.length > 0)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join(" ");
}

// ---------------------------------------------------------------------------------------------
// Options and shop

function resolveOptions(options: StoreOptions): Options {
  const now = new Date((options.now ?? new Date(DEFAULT_NOW)).getTime());
  if (Number.isNaN(now.getTime())) throw new RangeError("now must be a valid date");
  const customers = options.customers;
  if (!Number.isInteger(customers) || customers < 0 || customers > MAX_CUSTOMERS) {
    throw new RangeError(`customers must be an integer from 0 to ${MAX_CUSTOMERS}`);
  }
  const products = options.products ?? DEFAULT_PRODUCTS;
  if (!Number.isInteger(products) || products < 1 || products > MAX_PRODUCTS) {
    throw new RangeError(`products must be an integer from 1 to ${MAX_PRODUCTS}`);
  }
  const shopName = options.shopName ?? DEFAULT_SHOP_NAME;
  if (!/^[a-z0-9][a-z0-9-]*$/.test(shopName)) throw new RangeError("shopName must be a myshopify.com subdomain");
  const currencyCode = options.currencyCode ?? DEFAULT_CURRENCY;
  if (!/^[A-Z]{3}$/.test(currencyCode)) throw new RangeError("currencyCode must be an ISO 4217 code");
  return { seed: options.seed, customers, products, shopName, currencyCode, now };
}

function buildShop(options: Options): ShopRecord {
  const location = SHOP_LOCATIONS[options.currencyCode] ?? SHOP_LOCATIONS[DEFAULT_CURRENCY]!;
  const name = titleCase(options.shopName);
  return {
    domain: `${options.shopName}.myshopify.com`,
    id: SHOP_ID_BASE + (hashString(`${String(options.seed)}|${options.shopName}`) % 1_000_000_000),
    name,
    email: `owner+${options.shopName}@example.com`,
    contactEmail: `hello+${options.shopName}@example.com`,
    ianaTimezone: location.ianaTimezone,
    currencyCode: options.currencyCode,
    address: {
      company: `${name} ${location.companySuffix}`,
      address1: location.address1,
      address2: location.address2,
      city: location.city,
      province: location.province,
      provinceCode: location.provinceCode,
      zip: location.zip,
      country: location.country,
      countryCodeV2: location.countryCodeV2,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Catalogue

interface StoreTimes {
  nowMs: number;
  historyStartMs: number;
  storeOpenMs: number;
}

/** A product that can appear in orders (ACTIVE and published, or ARCHIVED), with precomputed tables. */
interface CatalogueEntry {
  product: ProductRecord;
  typeIndex: number;
  /** Sold from publication (or creation, for archived products) until archived. */
  availableFromMs: number;
  availableUntilMs: number;
  priceCents: Int32Array;
  variantCumulative: Float64Array;
  consumable: boolean;
  /** Index of the entry it is often bought with, or -1. */
  partner: number;
}

interface TypeShelf {
  members: number[];
  cumulative: Float64Array;
}

interface Catalogue {
  products: ProductRecord[];
  entries: CatalogueEntry[];
  /** Zipf-like popularity over entries. */
  popularity: Float64Array;
  shelves: TypeShelf[];
  /** Popularity of each product type (sum over its entries). */
  typeCumulative: Float64Array;
  /** A product on sale through the whole history, used when no preferred product is available. */
  fallback: number;
}

interface ProductDraft {
  record: ProductRecord;
  typeIndex: number;
  special: boolean;
  priceCents: number[];
  availableFromMs: number;
  availableUntilMs: number;
}

const TYPE_CUMULATIVE = cumulativeWeights(PRODUCT_TYPES.map((type) => type.weight));
const PRICE_ENDINGS = [90, 95, 50, 0] as const;
const MIN_PRICE_CENTS = 400;
const MAX_PRICE_CENTS = 18_000;
const BEST_SELLER_COUNT = 12;
const NEW_ARRIVAL_DAYS = 120;

function productType(typeIndex: number): ProductTypeInfo {
  return PRODUCT_TYPES[typeIndex]!;
}

function uniqueTitle(rng: Random, type: ProductTypeInfo, used: Set<string>): { title: string; special: boolean } {
  let title = "";
  let special = false;
  for (let attempt = 0; attempt < 20; attempt++) {
    special = type.specialTitles.length > 0 && rng.chance(type.specialShare);
    title = special ? rng.pick(type.specialTitles) : type.titleParts.map((part) => rng.pick(part)).join(" ");
    if (!used.has(title)) break;
  }
  const base = title;
  for (let edition = 2; used.has(title); edition++) title = `${base} No. ${edition}`;
  used.add(title);
  return { title, special };
}

function uniqueHandle(title: string, used: Set<string>): string {
  const base = slug(title);
  let handle = base;
  for (let n = 2; used.has(handle); n++) handle = `${base}-${n}`;
  used.add(handle);
  return handle;
}

/** A shop-style price: whole units plus .90, .95, .50 or .00, within 4.00–180.00. */
function charmPrice(rng: Random, cents: number): number {
  const price = Math.floor(cents / 100) * 100 + rng.pick(PRICE_ENDINGS);
  return Math.min(MAX_PRICE_CENTS, Math.max(MIN_PRICE_CENTS, price));
}

function drawStatus(rng: Random): ProductRecord["status"] {
  const roll = rng.next();
  return roll < 0.9 ? "ACTIVE" : roll < 0.95 ? "DRAFT" : "ARCHIVED";
}

function drawVariant(
  rng: Random,
  productIndex: number,
  variantIndex: number,
  type: ProductTypeInfo,
  title: string,
  priceCents: number,
): VariantRecord {
  const stock = rng.next();
  return {
    id: VARIANT_ID_BASE + productIndex * 10 + variantIndex,
    title,
    sku: `${type.code}-${String(productIndex + 1).padStart(4, "0")}-${variantIndex + 1}`,
    price: money(priceCents),
    unitCost: rng.chance(0.85) ? money(rng.intBetween(Math.ceil(priceCents * 0.3), Math.floor(priceCents * 0.65))) : null,
    // ~8 % sold out; ~3 % not tracked (always available, quantity 0 as Shopify reports it).
    inventoryQuantity: stock < 0.11 ? 0 : rng.intBetween(1, 400),
    tracked: !(stock >= 0.08 && stock < 0.11),
  };
}

function drawTags(rng: Random, type: ProductTypeInfo): string[] {
  const count = rng.intBetween(1, Math.min(3, type.tags.length));
  const tags: string[] = [];
  while (tags.length < count) {
    const tag = rng.pick(type.tags);
    if (!tags.includes(tag)) tags.push(tag);
  }
  return tags;
}

interface ProductDates {
  createdMs: number;
  updatedMs: number;
  publishedMs: number | null;
  availableFromMs: number;
  availableUntilMs: number;
}

function drawProductDates(rng: Random, times: StoreTimes, status: ProductRecord["status"], flagship: boolean): ProductDates {
  const { nowMs, historyStartMs, storeOpenMs } = times;
  if (status === "DRAFT") {
    const createdMs = instantBetween(rng, nowMs - 60 * DAY_MS, nowMs - 3 * DAY_MS);
    return {
      createdMs,
      updatedMs: instantBetween(rng, createdMs, nowMs),
      publishedMs: null,
      availableFromMs: Infinity,
      availableUntilMs: Infinity,
    };
  }
  if (status === "ARCHIVED") {
    const createdMs = instantBetween(rng, storeOpenMs, storeOpenMs + 300 * DAY_MS);
    const archivedMs = instantBetween(rng, historyStartMs + 120 * DAY_MS, historyStartMs + 900 * DAY_MS);
    return { createdMs, updatedMs: archivedMs, publishedMs: null, availableFromMs: createdMs, availableUntilMs: archivedMs };
  }
  const launchedLate = !flagship && rng.chance(0.22);
  const createdMs = flagship
    ? instantBetween(rng, storeOpenMs, storeOpenMs + 200 * DAY_MS)
    : launchedLate
      ? instantBetween(rng, historyStartMs, nowMs - 3 * DAY_MS)
      : instantBetween(rng, storeOpenMs, historyStartMs);
  const published = flagship || rng.chance(0.95);
  const publishedMs = published ? instantBetween(rng, createdMs, Math.min(nowMs, createdMs + 2 * HOUR_MS)) : null;
  const updatedMs = Math.max(publishedMs ?? createdMs, instantBetween(rng, createdMs, nowMs));
  return { createdMs, updatedMs, publishedMs, availableFromMs: publishedMs ?? Infinity, availableUntilMs: Infinity };
}

function draftProduct(
  seedHash: number,
  index: number,
  times: StoreTimes,
  houseBrand: string,
  usedTitles: Set<string>,
  usedHandles: Set<string>,
): ProductDraft {
  const rng = new Random(seedHash, KIND_PRODUCT, index);
  // The first product of every type is an active flagship on sale since the shop opened.
  const flagship = index < PRODUCT_TYPES.length;
  const typeIndex = flagship ? index : rng.weighted(TYPE_CUMULATIVE);
  const type = productType(typeIndex);
  const { title, special } = uniqueTitle(rng, type, usedTitles);
  const handle = uniqueHandle(title, usedHandles);
  const status = flagship ? "ACTIVE" : drawStatus(rng);
  const dates = drawProductDates(rng, times, status, flagship);
  const variantCount = rng.intBetween(1, type.variantOptions.length);
  const basePrice = rng.intBetween(type.basePriceCents[0], type.basePriceCents[1]);
  const priceCents: number[] = [];
  const variants: VariantRecord[] = [];
  for (let v = 0; v < variantCount; v++) {
    const option = type.variantOptions[v]!;
    const price = charmPrice(rng, basePrice * option.priceFactor);
    priceCents.push(price);
    variants.push(drawVariant(rng, index, v, type, variantCount === 1 ? "Default Title" : option.title, price));
  }
  const record: ProductRecord = {
    id: PRODUCT_ID_BASE + index,
    title,
    handle,
    productType: type.name,
    vendor: type.vendors.length > 0 ? rng.pick(type.vendors) : houseBrand,
    tags: drawTags(rng, type),
    collections: [special ? type.specialCollection : type.primaryCollection],
    status,
    publishedAt: dates.publishedMs === null ? null : iso(dates.publishedMs),
    createdAt: iso(dates.createdMs),
    updatedAt: iso(dates.updatedMs),
    imageUrl: rng.chance(status === "DRAFT" ? 0.3 : 0.04) ? null : `https://cdn.shopify.com/s/files/1/0000/0001/files/${handle}.jpg`,
    variants,
  };
  return { record, typeIndex, special, priceCents, availableFromMs: dates.availableFromMs, availableUntilMs: dates.availableUntilMs };
}

function isSellable(draft: ProductDraft): boolean {
  return draft.record.status === "ARCHIVED" || (draft.record.status === "ACTIVE" && draft.record.publishedAt !== null);
}

/** The first variant sells best, then each next one about half as often. */
function variantCumulative(count: number): Float64Array {
  return cumulativeWeights(Array.from({ length: count }, (_, v) => 1 / 2 ** v));
}

function shuffled(rng: Random, count: number): number[] {
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

function addCollections(rng: Random, draft: ProductDraft, popularityRank: number, times: StoreTimes): void {
  const collections = draft.record.collections;
  const add = (title: string): void => {
    if (collections.length < 3 && !collections.includes(title)) collections.push(title);
  };
  const active = draft.record.status === "ACTIVE";
  if (active && popularityRank < BEST_SELLER_COUNT) add(COLLECTIONS.bestSellers);
  if (active && Date.parse(draft.record.createdAt) >= times.nowMs - NEW_ARRIVAL_DAYS * DAY_MS) add(COLLECTIONS.newArrivals);
  if (!productType(draft.typeIndex).consumable && rng.chance(0.25)) add(COLLECTIONS.gifts);
}

function buildShelves(entries: readonly CatalogueEntry[], weights: readonly number[]): TypeShelf[] {
  return PRODUCT_TYPES.map((_, typeIndex) => {
    const members = entries.flatMap((entry, i) => (entry.typeIndex === typeIndex ? [i] : []));
    return { members, cumulative: cumulativeWeights(members.map((i) => weights[i]!)) };
  });
}

function pickFromShelf(rng: Random, shelf: TypeShelf): number {
  return shelf.members[rng.weighted(shelf.cumulative)]!;
}

function linkBundles(rng: Random, entries: CatalogueEntry[], shelves: readonly TypeShelf[]): void {
  for (const entry of entries) {
    const type = productType(entry.typeIndex);
    const partnerType = PRODUCT_TYPES.findIndex((candidate) => candidate.name === type.bundleWith);
    const shelf = shelves[partnerType];
    if (shelf && shelf.members.length > 0 && rng.chance(type.bundleShare)) entry.partner = pickFromShelf(rng, shelf);
  }
}

function buildCatalogue(seedHash: number, options: Options, times: StoreTimes, houseBrand: string): Catalogue {
  const usedTitles = new Set<string>();
  const usedHandles = new Set<string>();
  const drafts = Array.from({ length: options.products }, (_, j) => draftProduct(seedHash, j, times, houseBrand, usedTitles, usedHandles));
  const rng = new Random(seedHash, KIND_CATALOGUE, 0);
  const sellable = drafts.filter(isSellable);
  const ranking = shuffled(rng, sellable.length);
  const rankOf = new Map(ranking.map((draftIndex, rank) => [sellable[draftIndex]!, rank]));
  drafts.forEach((draft) => addCollections(rng, draft, rankOf.get(draft) ?? Infinity, times));

  const entries: CatalogueEntry[] = sellable.map((draft) => ({
    product: draft.record,
    typeIndex: draft.typeIndex,
    availableFromMs: draft.availableFromMs,
    availableUntilMs: draft.availableUntilMs,
    priceCents: Int32Array.from(draft.priceCents),
    variantCumulative: variantCumulative(draft.priceCents.length),
    consumable: productType(draft.typeIndex).consumable,
    partner: -1,
  }));
  // Zipf-like popularity: the product at rank r sells in proportion to 1 / (r + 1).
  const weights = sellable.map((draft) => 1 / ((rankOf.get(draft) ?? 0) + 1));
  const shelves = buildShelves(entries, weights);
  linkBundles(rng, entries, shelves);
  const typeWeights = shelves.map((shelf) => shelf.cumulative[shelf.cumulative.length - 1] ?? 0);
  const fallback = ranking.find((i) => entries[i]!.product.status === "ACTIVE" && entries[i]!.availableFromMs <= times.historyStartMs);
  if (fallback === undefined) throw new Error("the catalogue has no product on sale through the whole history");
  return {
    products: drafts.map((draft) => draft.record),
    entries,
    popularity: cumulativeWeights(weights),
    shelves,
    typeCumulative: cumulativeWeights(typeWeights),
    fallback,
  };
}

function isAvailable(entry: CatalogueEntry, atMs: number): boolean {
  return atMs >= entry.availableFromMs && atMs < entry.availableUntilMs;
}

// ---------------------------------------------------------------------------------------------
// Customers

interface StoreContext extends StoreTimes {
  seedHash: number;
  currencyCode: string;
  calendar: Calendar;
  catalogue: Catalogue;
}

type Archetype = "prospect" | "oneTime" | "lapsedHeavy" | "lapsed" | "active" | "loyal";

const ARCHETYPES: readonly Archetype[] = ["prospect", "oneTime", "lapsedHeavy", "lapsed", "active", "loyal"];
const ARCHETYPE_CUMULATIVE = cumulativeWeights([10, 40, 8, 14, 18, 10]);

interface RepeatProfile {
  cadenceMedianDays: number;
  cadenceSigma: number;
  minCadenceDays: number;
  maxCadenceDays: number;
  minOrders: number;
  extraOrdersMean: number;
  valueFactor: number;
}

const REPEAT_PROFILES: Readonly<Record<"lapsedHeavy" | "lapsed" | "active" | "loyal", RepeatProfile>> = {
  lapsedHeavy: {
    cadenceMedianDays: 28,
    cadenceSigma: 0.3,
    minCadenceDays: 14,
    maxCadenceDays: 60,
    minOrders: 4,
    extraOrdersMean: 6,
    valueFactor: 1.6,
  },
  lapsed: {
    cadenceMedianDays: 55,
    cadenceSigma: 0.45,
    minCadenceDays: 20,
    maxCadenceDays: 140,
    minOrders: 2,
    extraOrdersMean: 1.5,
    valueFactor: 1,
  },
  active: {
    cadenceMedianDays: 60,
    cadenceSigma: 0.45,
    minCadenceDays: 20,
    maxCadenceDays: 140,
    minOrders: 2,
    extraOrdersMean: 3,
    valueFactor: 1,
  },
  loyal: {
    cadenceMedianDays: 30,
    cadenceSigma: 0.3,
    minCadenceDays: 14,
    maxCadenceDays: 60,
    minOrders: 5,
    extraOrdersMean: 8,
    valueFactor: 1.3,
  },
};

const GAP_JITTER_SIGMA = 0.3;
const GIFT_ORDER_CHANCE = 0.4;
const PEAK_SEASON_GAP_FACTOR = 0.55;
const PEAK_SEASON_WEIGHT = 2.5;
const BLACK_FRIDAY_WEIGHT = 4;

/** Preferred ordering moments (centre hour ranges, local time) and how common each is. */
const HABIT_WINDOWS: readonly (readonly [number, number])[] = [
  [8, 10.5],
  [12, 14],
  [15, 17.5],
  [19, 22],
  [22, 23.5],
];
const HABIT_CUMULATIVE = cumulativeWeights([10, 30, 12, 40, 8]);
/** Store-wide shares of orders per local hour, for the orders placed outside a customer's habit. */
const HOUR_CUMULATIVE = cumulativeWeights([0.3, 0.2, 0.1, 0.1, 0.1, 0.2, 0.5, 1, 2, 3, 3.5, 4, 6, 6, 4, 3.5, 3.5, 4, 5, 6.5, 7, 6, 4, 1.5]);
const HABIT_SHARE = 0.85;

const LOCALE_CUMULATIVE = cumulativeWeights(LOCALES.map((locale) => locale.weight));
const EMAIL_WORDS = LOCALES.map((locale) => ({
  first: locale.firstNames.map(emailWord),
  last: locale.lastNames.map(emailWord),
}));

const MARKETING_STATES: readonly MarketingState[] = ["SUBSCRIBED", "NOT_SUBSCRIBED", "UNSUBSCRIBED", "PENDING", "INVALID"];
const MARKETING_CUMULATIVE = cumulativeWeights([55, 28, 10, 5, 2]);
const SUBSCRIBED_LEVELS: readonly MarketingOptInLevel[] = ["SINGLE_OPT_IN", "CONFIRMED_OPT_IN", "UNKNOWN"];
const SUBSCRIBED_LEVEL_CUMULATIVE = cumulativeWeights([70, 25, 5]);

const CUSTOMER_STATES: readonly CustomerRecord["state"][] = ["ENABLED", "DISABLED", "INVITED", "DECLINED"];
const BUYER_STATE_CUMULATIVE = cumulativeWeights([30, 66, 3, 1]);
const PROSPECT_STATE_CUMULATIVE = cumulativeWeights([40, 55, 5, 0]);

const LINE_COUNT_CUMULATIVE = cumulativeWeights([45, 30, 17, 8]);
const LINE_COUNT_HIGH_VALUE_CUMULATIVE = cumulativeWeights([25, 33, 25, 17]);
const CONSUMABLE_QUANTITY_CUMULATIVE = cumulativeWeights([70, 20, 7, 3]);
const CONSUMABLE_QUANTITY_HIGH_VALUE_CUMULATIVE = cumulativeWeights([50, 30, 12, 8]);
const GEAR_QUANTITY_CUMULATIVE = cumulativeWeights([92, 6, 2]);
const HIGH_VALUE_FACTOR = 1.4;
const FAVOURITE_TYPE_SHARE = 0.6;
const STAPLE_SHARE = 0.55;
const BUNDLE_SHARE = 0.45;

const CANCEL_REASONS: readonly NonNullable<OrderRecord["cancelReason"]>[] = [
  "CUSTOMER",
  "INVENTORY",
  "FRAUD",
  "DECLINED",
  "OTHER",
  "STAFF",
];
const CANCEL_REASON_CUMULATIVE = cumulativeWeights([50, 15, 10, 10, 10, 5]);
const CANCEL_SHARE = 0.02;
const PARTIAL_REFUND_SHARE = 0.03;

interface Person {
  firstName: string;
  lastName: string;
  email: string;
  phone: string | null;
  locale: string;
  timezone: string;
  zone: ZoneRule;
  address: AddressRecord;
}

interface Habits {
  archetype: Archetype;
  /** Centre and spread of the customer's usual ordering time, in seconds after local midnight. */
  habitSecond: number;
  habitSpreadSeconds: number;
  /** Basket size multiplier (log-normal around 1, higher for heavy and loyal buyers). */
  value: number;
  favouriteTypes: number[];
  /** Products the customer re-orders (entry indices) and the variant they take. */
  staples: number[];
  stapleVariants: number[];
}

/** Running totals of a customer's non-cancelled orders, for the customer statistics. */
interface Ledger {
  orders: number;
  lastOrderMs: number;
  netCents: number;
  netCentsLastYear: number;
  lastChangeMs: number;
}

function streetLine(locale: LocaleInfo, street: string, number: number): string {
  switch (locale.streetFormat) {
    case "number-street":
      return `${number} ${street}`;
    case "street-number":
      return `${street} ${number}`;
    case "street-comma-number":
      return `${street}, ${number}`;
  }
}

function drawPhone(rng: Random, locale: LocaleInfo): string | null {
  if (locale.phone === null || !rng.chance(0.5)) return null;
  const digits = String(rng.int(10 ** locale.phone.randomDigits)).padStart(locale.phone.randomDigits, "0");
  return rng.pick(locale.phone.prefixes) + digits;
}

function drawPerson(rng: Random, index: number): Person {
  const localeIndex = rng.weighted(LOCALE_CUMULATIVE);
  const locale = LOCALES[localeIndex]!;
  const words = EMAIL_WORDS[localeIndex]!;
  const first = rng.int(locale.firstNames.length);
  const last = rng.int(locale.lastNames.length);
  const city = rng.pick(locale.cities);
  return {
    firstName: locale.firstNames[first]!,
    lastName: locale.lastNames[last]!,
    email: `${words.first[first]}.${words.last[last]}${index}@${rng.pick(EMAIL_DOMAINS)}`,
    phone: drawPhone(rng, locale),
    locale: locale.locale,
    timezone: city.timezone,
    zone: zoneRule(city.timezone),
    address: {
      company: rng.chance(0.05) ? rng.pick(COMPANY_NAMES) : null,
      address1: streetLine(locale, rng.pick(locale.streets), rng.intBetween(1, 199)),
      address2: rng.chance(0.2) ? rng.pick(locale.secondLines) : null,
      city: city.city,
      province: city.province,
      provinceCode: city.provinceCode,
      zip: rng.pick(city.zips),
      country: locale.country,
      countryCodeV2: locale.countryCode,
    },
  };
}

function drawFavouriteTypes(rng: Random, catalogue: Catalogue): number[] {
  const first = rng.weighted(catalogue.typeCumulative);
  if (rng.chance(0.6)) return [first];
  const second = rng.weighted(catalogue.typeCumulative);
  return second === first ? [first] : [first, second];
}

function drawHabits(rng: Random, catalogue: Catalogue): Habits {
  const archetype = ARCHETYPES[rng.weighted(ARCHETYPE_CUMULATIVE)]!;
  const window = HABIT_WINDOWS[rng.weighted(HABIT_CUMULATIVE)]!;
  const habits: Habits = {
    archetype,
    habitSecond: Math.floor(rng.between(window[0], window[1]) * 3600),
    habitSpreadSeconds: Math.floor(rng.between(0.5, 1.3) * 3600),
    value: rng.logNormal(1, 0.35) * (archetype === "prospect" || archetype === "oneTime" ? 1 : REPEAT_PROFILES[archetype].valueFactor),
    favouriteTypes: [],
    staples: [],
    stapleVariants: [],
  };
  if (archetype === "prospect") return habits;
  habits.favouriteTypes = drawFavouriteTypes(rng, catalogue);
  if (archetype === "oneTime") return habits;
  const stapleCount = rng.intBetween(1, 2);
  for (let s = 0; s < stapleCount; s++) {
    const staple = pickFromShelf(rng, catalogue.shelves[rng.pick(habits.favouriteTypes)]!);
    if (habits.staples.includes(staple)) continue;
    habits.staples.push(staple);
    habits.stapleVariants.push(rng.weighted(catalogue.entries[staple]!.variantCumulative));
  }
  return habits;
}

/** A local time of day: mostly around the customer's habit, otherwise following the store-wide hourly curve. */
function drawSecondOfDay(rng: Random, habits: Habits): number {
  if (rng.chance(HABIT_SHARE)) {
    const second = Math.round(habits.habitSecond + rng.normal() * habits.habitSpreadSeconds);
    return ((second % DAY_SECONDS) + DAY_SECONDS) % DAY_SECONDS;
  }
  return rng.weighted(HOUR_CUMULATIVE) * 3600 + rng.int(3600);
}

/** A day in [firstDay, lastDay], busier towards the present (the shop grows), before Christmas and most on the Black Friday weekend. */
function drawBusyDay(rng: Random, calendar: Calendar, firstDay: number, lastDay: number): number {
  const span = Math.max(1, lastDay - firstDay);
  for (;;) {
    const day = firstDay + rng.int(span + 1);
    const growth = 0.55 + (0.45 * (day - firstDay)) / span;
    const flags = dayFlags(calendar, day);
    const season = flags & BLACK_FRIDAY ? BLACK_FRIDAY_WEIGHT : flags & PEAK_SEASON ? PEAK_SEASON_WEIGHT : 1;
    if (rng.next() * BLACK_FRIDAY_WEIGHT < growth * season) return day;
  }
}

function drawLastOrderDaysAgo(rng: Random, archetype: Exclude<Archetype, "prospect" | "oneTime">, cadence: number): number {
  switch (archetype) {
    case "lapsedHeavy":
    case "lapsed":
      return rng.between(Math.max(90, 1.5 * cadence), 400);
    case "active":
      return rng.between(0, 1.3 * cadence);
    case "loyal":
      return rng.between(0, Math.min(cadence, 45));
  }
}

/** Local days of a repeat buyer's orders, oldest first: gaps jittered around a personal cadence, walked back from the last order. */
function drawRepeatDays(rng: Random, calendar: Calendar, archetype: Exclude<Archetype, "prospect" | "oneTime">, today: number): number[] {
  const profile = REPEAT_PROFILES[archetype];
  const cadence = Math.min(
    profile.maxCadenceDays,
    Math.max(profile.minCadenceDays, rng.logNormal(profile.cadenceMedianDays, profile.cadenceSigma)),
  );
  const orderCount = Math.min(60, profile.minOrders + rng.geometric(profile.extraOrdersMean));
  let daysAgo = drawLastOrderDaysAgo(rng, archetype, cadence);
  const days: number[] = [];
  while (days.length < orderCount && daysAgo <= HISTORY_DAYS) {
    const day = today - Math.round(daysAgo);
    days.push(day);
    // Holiday shopping: gaps shrink in the weeks before Christmas.
    const seasonal = dayFlags(calendar, day) & PEAK_SEASON ? PEAK_SEASON_GAP_FACTOR : 1;
    const gap = seasonal * cadence * Math.exp(GAP_JITTER_SIGMA * rng.normal());
    daysAgo += Math.min(2.5 * cadence, Math.max(3, 0.35 * cadence, gap));
  }
  days.reverse();
  addGiftOrders(rng, calendar, days);
  return days;
}

/** Repeat buyers sometimes add a gift order in the weeks before Christmas. */
function addGiftOrders(rng: Random, calendar: Calendar, days: number[]): void {
  const first = days[0]!;
  const last = days[days.length - 1]!;
  for (const [start, end] of calendar.giftWindows) {
    if (start <= first || end >= last || !rng.chance(GIFT_ORDER_CHANCE)) continue;
    const day = rng.intBetween(start, end);
    if (days.some((other) => Math.abs(other - day) < 3)) continue;
    const position = days.findIndex((other) => other > day);
    days.splice(position, 0, day);
  }
}

function drawOrderDays(rng: Random, context: StoreContext, habits: Habits, today: number): number[] {
  switch (habits.archetype) {
    case "prospect":
      return [];
    case "oneTime":
      return [drawBusyDay(rng, context.calendar, today - HISTORY_DAYS, today)];
    default:
      return drawRepeatDays(rng, context.calendar, habits.archetype, today);
  }
}

/** Turns local order days into UTC instants at the customer's usual hours (never after now). */
function placeOrders(rng: Random, context: StoreContext, person: Person, habits: Habits, days: number[]): number[] {
  const instants: number[] = [];
  for (let k = 0; k < days.length; k++) {
    let day = days[k]!;
    const second = drawSecondOfDay(rng, habits);
    let instant = localToUtc(person.zone, day, second);
    while (instant > context.nowMs) {
      day -= 1;
      instant = localToUtc(person.zone, day, second);
    }
    days[k] = day;
    instants.push(instant);
  }
  return instants;
}

function drawCustomerCreated(
  rng: Random,
  context: StoreContext,
  person: Person,
  habits: Habits,
  firstOrderMs: number | undefined,
  today: number,
): number {
  if (firstOrderMs === undefined) {
    const day = drawBusyDay(rng, context.calendar, today - STORE_AGE_DAYS, today);
    let instant = localToUtc(person.zone, day, drawSecondOfDay(rng, habits));
    if (instant > context.nowMs) instant = instantBetween(rng, context.nowMs - DAY_MS, context.nowMs);
    return Math.max(context.storeOpenMs, instant);
  }
  // Most buyers get their customer record at checkout; some had an account or signed up earlier.
  if (rng.chance(0.75)) return firstOrderMs - rng.intBetween(30, 900) * SECOND_MS;
  const earliest = Math.max(context.storeOpenMs, firstOrderMs - 365 * DAY_MS);
  return Math.min(firstOrderMs - MINUTE_MS, instantBetween(rng, earliest, firstOrderMs));
}

// ---------------------------------------------------------------------------------------------
// Orders

function pickEntry(rng: Random, catalogue: Catalogue, habits: Habits, atMs: number): number {
  for (let attempt = 0; attempt < 8; attempt++) {
    const entry =
      habits.favouriteTypes.length > 0 && rng.chance(FAVOURITE_TYPE_SHARE)
        ? pickFromShelf(rng, catalogue.shelves[rng.pick(habits.favouriteTypes)]!)
        : rng.weighted(catalogue.popularity);
    if (isAvailable(catalogue.entries[entry]!, atMs)) return entry;
  }
  return catalogue.fallback;
}

/** Products of one order (entry indices) and, where it is a staple, the variant the customer always takes (else -1). */
function chooseProducts(rng: Random, catalogue: Catalogue, habits: Habits, atMs: number, products: number[], variants: number[]): void {
  const highValue = habits.value > HIGH_VALUE_FACTOR;
  const target = 1 + rng.weighted(highValue ? LINE_COUNT_HIGH_VALUE_CUMULATIVE : LINE_COUNT_CUMULATIVE);
  if (habits.staples.length > 0 && rng.chance(STAPLE_SHARE)) {
    const s = rng.int(habits.staples.length);
    const staple = habits.staples[s]!;
    if (isAvailable(catalogue.entries[staple]!, atMs)) {
      products.push(staple);
      variants.push(habits.stapleVariants[s]!);
    }
  }
  for (let attempt = 0; products.length < target && attempt < 12; attempt++) {
    const entry = pickEntry(rng, catalogue, habits, atMs);
    if (products.includes(entry)) continue;
    products.push(entry);
    variants.push(-1);
    const partner = catalogue.entries[entry]!.partner;
    if (
      partner >= 0 &&
      products.length < MAX_LINE_ITEMS &&
      rng.chance(BUNDLE_SHARE) &&
      !products.includes(partner) &&
      isAvailable(catalogue.entries[partner]!, atMs)
    ) {
      products.push(partner);
      variants.push(-1);
    }
  }
}

function drawQuantity(rng: Random, entry: CatalogueEntry, habits: Habits): number {
  if (!entry.consumable) return 1 + rng.weighted(GEAR_QUANTITY_CUMULATIVE);
  const table = habits.value > HIGH_VALUE_FACTOR ? CONSUMABLE_QUANTITY_HIGH_VALUE_CUMULATIVE : CONSUMABLE_QUANTITY_CUMULATIVE;
  return 1 + rng.weighted(table);
}

function drawDiscount(rng: Random, flags: number, firstOrder: boolean): { code: string; percent: number } | null {
  if (flags & BLACK_FRIDAY && rng.chance(0.55)) return DISCOUNT_CODES.blackFriday;
  if (firstOrder && rng.chance(0.3)) return DISCOUNT_CODES.welcome;
  if (flags & SPRING && rng.chance(0.22)) return DISCOUNT_CODES.spring;
  if (flags & SUMMER && rng.chance(0.16)) return DISCOUNT_CODES.summer;
  return null;
}

function percentOf(cents: number, percent: number): number {
  return Math.round((cents * percent) / 100);
}

/** A partial refund: one unit of the cheapest line (net of the discount) when more was bought, else part of the subtotal; always below the total. */
function partialRefundCents(
  rng: Random,
  unitCents: readonly number[],
  units: number,
  percent: number,
  subtotalCents: number,
  totalCents: number,
): number {
  const cheapest = Math.min(...unitCents);
  const oneUnit = cheapest - percentOf(cheapest, percent);
  const refund = units > 1 && oneUnit < totalCents ? oneUnit : Math.round(subtotalCents * rng.between(0.2, 0.6));
  return Math.min(totalCents - 1, Math.max(1, refund));
}

function buildOrder(
  rng: Random,
  context: StoreContext,
  habits: Habits,
  customerIndex: number,
  customerId: number,
  k: number,
  createdMs: number,
  localDay: number,
  ledger: Ledger,
): OrderRecord {
  const { catalogue } = context;
  const orderId = ORDER_ID_BASE + customerIndex * ORDER_STRIDE + k;
  const products: number[] = [];
  const variants: number[] = [];
  chooseProducts(rng, catalogue, habits, createdMs, products, variants);

  const lineItems: LineItemRecord[] = [];
  const unitCents: number[] = [];
  let lineItemsCents = 0;
  let units = 0;
  for (let position = 0; position < products.length; position++) {
    const entry = catalogue.entries[products[position]!]!;
    const chosenVariant = variants[position]!;
    const v = chosenVariant >= 0 ? chosenVariant : rng.weighted(entry.variantCumulative);
    const variant = entry.product.variants[v]!;
    const quantity = drawQuantity(rng, entry, habits);
    const price = entry.priceCents[v]!;
    lineItemsCents += price * quantity;
    units += quantity;
    unitCents.push(price);
    lineItems.push({
      id: LINE_ITEM_ID_BASE + customerIndex * 10_000 + k * 10 + position,
      productId: entry.product.id,
      variantId: variant.id,
      title: entry.product.title,
      sku: variant.sku,
      vendor: entry.product.vendor,
      quantity,
      price: variant.price,
    });
  }

  const discount = drawDiscount(rng, dayFlags(context.calendar, localDay), k === 0);
  const discountCents = discount === null ? 0 : percentOf(lineItemsCents, discount.percent);
  const subtotalCents = lineItemsCents - discountCents;
  const shippingCents = subtotalCents >= FREE_SHIPPING_FROM_CENTS ? 0 : SHIPPING_CENTS;
  const totalCents = subtotalCents + shippingCents;
  const created = iso(createdMs);

  const order: OrderRecord = {
    id: orderId,
    name: `#${1001 + customerIndex * ORDER_STRIDE + k}`,
    customerId,
    createdAt: created,
    processedAt: created,
    updatedAt: created,
    currencyCode: context.currencyCode,
    lineItems,
    lineItemsTotal: money(lineItemsCents),
    totalDiscounts: money(discountCents),
    subtotal: money(subtotalCents),
    shipping: money(shippingCents),
    total: money(totalCents),
    discountCodes: discount === null ? [] : [discount.code],
    cancelledAt: null,
    cancelReason: null,
    refunded: "0.00",
    financialStatus: "PAID",
    sourceName: "web",
  };

  const { nowMs } = context;
  const fate = rng.next();
  let updatedMs: number;
  let refundedCents = 0;
  if (fate < CANCEL_SHARE && createdMs + 10 * MINUTE_MS <= nowMs) {
    const cancelledMs = instantBetween(rng, createdMs + 10 * MINUTE_MS, Math.min(nowMs, createdMs + 36 * HOUR_MS));
    const reason = CANCEL_REASONS[rng.weighted(CANCEL_REASON_CUMULATIVE)]!;
    order.cancelledAt = iso(cancelledMs);
    order.cancelReason = reason;
    order.refunded = order.total;
    order.financialStatus = reason === "DECLINED" || reason === "FRAUD" ? "VOIDED" : "REFUNDED";
    updatedMs = cancelledMs;
  } else if (fate < CANCEL_SHARE + PARTIAL_REFUND_SHARE && createdMs + 3 * DAY_MS <= nowMs) {
    refundedCents = partialRefundCents(rng, unitCents, units, discount?.percent ?? 0, subtotalCents, totalCents);
    order.refunded = money(refundedCents);
    order.financialStatus = "PARTIALLY_REFUNDED";
    updatedMs = instantBetween(rng, createdMs + 2 * DAY_MS, Math.min(nowMs, createdMs + 30 * DAY_MS));
  } else {
    // Fulfilment touches the order a little later.
    updatedMs = instantBetween(rng, createdMs + HOUR_MS, Math.min(nowMs, createdMs + 5 * DAY_MS));
  }
  updatedMs = Math.max(createdMs, updatedMs);
  if (updatedMs !== createdMs) order.updatedAt = iso(updatedMs);

  ledger.lastChangeMs = Math.max(ledger.lastChangeMs, updatedMs);
  if (order.cancelledAt === null) {
    const net = totalCents - refundedCents;
    ledger.orders += 1;
    ledger.lastOrderMs = createdMs;
    ledger.netCents += net;
    if (createdMs >= nowMs - 365 * DAY_MS) ledger.netCentsLastYear += net;
  }
  return order;
}

// ---------------------------------------------------------------------------------------------
// Customer record and statistics

interface Consent {
  state: MarketingState;
  level: MarketingOptInLevel | null;
  updatedMs: number | null;
}

function drawConsent(rng: Random, createdMs: number, firstOrderMs: number | undefined, nowMs: number): Consent {
  const state = MARKETING_STATES[rng.weighted(MARKETING_CUMULATIVE)]!;
  // Customers are asked at sign-up or at their first checkout.
  const askedMs = firstOrderMs !== undefined && rng.chance(0.6) ? firstOrderMs : createdMs;
  switch (state) {
    case "SUBSCRIBED": {
      const level = SUBSCRIBED_LEVELS[rng.weighted(SUBSCRIBED_LEVEL_CUMULATIVE)]!;
      const confirmationMs = level === "CONFIRMED_OPT_IN" ? rng.intBetween(1, 120) * MINUTE_MS : 0;
      return { state, level, updatedMs: Math.min(nowMs, askedMs + confirmationMs) };
    }
    case "PENDING":
      return { state, level: "CONFIRMED_OPT_IN", updatedMs: askedMs };
    case "NOT_SUBSCRIBED":
      return rng.chance(0.1)
        ? { state, level: "SINGLE_OPT_IN", updatedMs: instantBetween(rng, createdMs, nowMs) }
        : { state, level: null, updatedMs: null };
    case "UNSUBSCRIBED":
      return {
        state,
        level: rng.chance(0.8) ? "SINGLE_OPT_IN" : "CONFIRMED_OPT_IN",
        updatedMs: instantBetween(rng, askedMs + 7 * DAY_MS, nowMs),
      };
    case "INVALID":
      return { state, level: "SINGLE_OPT_IN", updatedMs: instantBetween(rng, createdMs + DAY_MS, nowMs) };
  }
}

/**
 * Shopify-like RFM groups from recency (days since the last non-cancelled order), frequency (their
 * number) and net spend: no order → PROSPECTS; within 90 days → CHAMPIONS (≥ 4 orders and high value),
 * LOYAL (≥ 3), ACTIVE (2), NEW (1, within 30 days), PROMISING (1); 90–180 days → AT_RISK (≥ 3 orders and
 * high value), NEEDS_ATTENTION; 180–365 days → AT_RISK (≥ 3 and high value), PREVIOUSLY_LOYAL (≥ 3),
 * ALMOST_LOST; over 365 days → DORMANT. High value: net spend ≥ 250.00.
 */
export function rfmGroup(orders: number, daysSinceLastOrder: number, netCents: number): RfmGroup {
  if (orders === 0) return "PROSPECTS";
  const highValue = netCents >= HIGH_VALUE_CENTS;
  if (daysSinceLastOrder <= 90) {
    if (orders >= 4 && highValue) return "CHAMPIONS";
    if (orders >= 3) return "LOYAL";
    if (orders === 2) return "ACTIVE";
    return daysSinceLastOrder < 30 ? "NEW" : "PROMISING";
  }
  if (daysSinceLastOrder <= 180) return orders >= 3 && highValue ? "AT_RISK" : "NEEDS_ATTENTION";
  if (daysSinceLastOrder <= 365) {
    if (orders >= 3) return highValue ? "AT_RISK" : "PREVIOUSLY_LOYAL";
    return "ALMOST_LOST";
  }
  return "DORMANT";
}

/** HIGH: ≥ 200.00 net in the last year; MEDIUM: ≥ 60.00 in the last year, or repeat buyer within a year; else LOW. */
export function spendTier(orders: number, daysSinceLastOrder: number, netCentsLastYear: number): PredictedSpendTier {
  if (netCentsLastYear >= 20_000) return "HIGH";
  if (netCentsLastYear >= 6_000 || (orders >= 2 && daysSinceLastOrder <= 365)) return "MEDIUM";
  return "LOW";
}

function customerTags(rng: Random, habits: Habits, consent: Consent, ledger: Ledger): string[] {
  const tags: string[] = [];
  if (habits.archetype === "prospect" && (consent.state === "SUBSCRIBED" || consent.state === "PENDING")) tags.push("newsletter");
  if (ledger.netCents >= VIP_CENTS) tags.push("vip");
  if (rng.chance(0.005)) tags.push("wholesale");
  return tags;
}

function buildCustomer(
  rng: Random,
  context: StoreContext,
  person: Person,
  habits: Habits,
  customerId: number,
  createdMs: number,
  firstOrderMs: number | undefined,
  ledger: Ledger,
): CustomerRecord {
  const { nowMs } = context;
  const consent = drawConsent(rng, createdMs, firstOrderMs, nowMs);
  const stateTable = habits.archetype === "prospect" ? PROSPECT_STATE_CUMULATIVE : BUYER_STATE_CUMULATIVE;
  // Shopify computes customer statistics daily, so brand-new customers have none yet.
  const hasStatistics = createdMs <= nowMs - DAY_MS;
  const daysSinceLastOrder = ledger.orders === 0 ? Infinity : (nowMs - ledger.lastOrderMs) / DAY_MS;
  const updatedMs = Math.max(createdMs, consent.updatedMs ?? createdMs, ledger.lastChangeMs);
  return {
    id: customerId,
    firstName: person.firstName,
    lastName: person.lastName,
    email: person.email,
    phone: person.phone,
    locale: person.locale,
    timezone: person.timezone,
    defaultAddress: person.address,
    marketingState: consent.state,
    marketingOptInLevel: consent.level,
    marketingUpdatedAt: consent.updatedMs === null ? null : iso(consent.updatedMs),
    state: CUSTOMER_STATES[rng.weighted(stateTable)]!,
    verifiedEmail: consent.state !== "INVALID" && rng.chance(0.97),
    tags: customerTags(rng, habits, consent, ledger),
    rfmGroup: hasStatistics ? rfmGroup(ledger.orders, daysSinceLastOrder, ledger.netCents) : null,
    predictedSpendTier: hasStatistics ? spendTier(ledger.orders, daysSinceLastOrder, ledger.netCentsLastYear) : null,
    createdAt: iso(createdMs),
    updatedAt: iso(updatedMs),
  };
}

function generateHistory(context: StoreContext, index: number): CustomerHistory {
  const rng = new Random(context.seedHash, KIND_CUSTOMER, index);
  const person = drawPerson(rng, index);
  const habits = drawHabits(rng, context.catalogue);
  const today = localDayOf(person.zone, context.nowMs);
  const days = drawOrderDays(rng, context, habits, today);
  if (days.length > MAX_ORDERS_PER_CUSTOMER) days.length = MAX_ORDERS_PER_CUSTOMER;
  const instants = placeOrders(rng, context, person, habits, days);
  const firstOrderMs = instants[0];
  const createdMs = drawCustomerCreated(rng, context, person, habits, firstOrderMs, today);
  const customerId = CUSTOMER_ID_BASE + index;
  const ledger: Ledger = { orders: 0, lastOrderMs: 0, netCents: 0, netCentsLastYear: 0, lastChangeMs: createdMs };
  const orders: OrderRecord[] = [];
  for (let k = 0; k < instants.length; k++) {
    orders.push(buildOrder(rng, context, habits, index, customerId, k, instants[k]!, days[k]!, ledger));
  }
  const customer = buildCustomer(rng, context, person, habits, customerId, createdMs, firstOrderMs, ledger);
  return { index, customer, orders };
}

// ---------------------------------------------------------------------------------------------

/** A synthetic store for the options: the same seed and options always give the same records. */
export function generateStore(storeOptions: StoreOptions): GeneratedStore {
  const options = resolveOptions(storeOptions);
  const seedHash = hashString(String(options.seed));
  const nowMs = options.now.getTime();
  const times: StoreTimes = {
    nowMs,
    historyStartMs: nowMs - HISTORY_DAYS * DAY_MS,
    storeOpenMs: nowMs - STORE_AGE_DAYS * DAY_MS,
  };
  const shop = buildShop(options);
  const catalogue = buildCatalogue(seedHash, options, times, shop.name);
  const nowDay = Math.floor(nowMs / DAY_MS);
  const context: StoreContext = {
    ...times,
    seedHash,
    currencyCode: options.currencyCode,
    calendar: buildCalendar(nowDay - STORE_AGE_DAYS - 2, nowDay + 2),
    catalogue,
  };
  const customerCount = options.customers;
  const checkIndex = (index: number): void => {
    if (!Number.isInteger(index) || index < 0 || index >= customerCount) {
      throw new RangeError(`customer index ${index} is outside [0, ${customerCount})`);
    }
  };
  return {
    options,
    shop,
    products: catalogue.products,
    customerCount,
    customerId(index) {
      checkIndex(index);
      return CUSTOMER_ID_BASE + index;
    },
    customerIndex(id) {
      const index = id - CUSTOMER_ID_BASE;
      return Number.isInteger(index) && index >= 0 && index < customerCount ? index : undefined;
    },
    history(index) {
      checkIndex(index);
      return generateHistory(context, index);
    },
    orderLocation(orderId) {
      const offset = orderId - ORDER_ID_BASE;
      if (!Number.isInteger(offset) || offset < 0) return undefined;
      const index = Math.floor(offset / ORDER_STRIDE);
      const position = offset % ORDER_STRIDE;
      if (index >= customerCount) return undefined;
      // The id alone cannot tell how many orders that customer has: generate the history to check.
      return position < generateHistory(context, index).orders.length ? { index, position } : undefined;
    },
    *histories() {
      for (let index = 0; index < customerCount; index++) yield generateHistory(context, index);
    },
  };
}
