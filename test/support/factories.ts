import { randomUUID } from "node:crypto";
import type { Prisma, Shop } from "@prisma/client";
import prisma, { execute, queryRows, type Db } from "../../app/db.server";
import type { CampaignSettings } from "../../app/domain/campaign";
import type { CampaignView } from "../../app/models/campaigns.server";

/**
 * Test data, made one way (README "One way to do each thing"): a shop, its customers, orders,
 * enrollments and a Live campaign, for integration tests and benchmarks. Many rows are one
 * set-based statement (`INSERT … SELECT` over `generate_series`, or over the given rows as one
 * JSON parameter), never a loop of inserts: benchmarks make up to 1,000,000 customers with them.
 *
 * Each factory that makes rows takes either a count or the rows themselves, then `overrides`
 * for every row, then options:
 * - `makeCustomers(shopId, 20)`: customers 1…20, each a lapsed subscribed buyer (the defaults).
 * - `makeCustomers(shopId, 20, { firstName: sql("'Name' || i"), ordersCount: 5 })`: a column can be
 *   a SQL expression of `i`, the row's number (the customer id here), evaluated per row.
 * - `makeCustomers(shopId, [{ id: 7, email: "ana@example.com" }])`: given rows, inserted in order;
 *   what a row leaves out comes from `overrides`, then from the defaults; `null` is a value.
 * Anything neither gives keeps its column's default in the schema.
 *
 * Benchmarks import this module after pointing the app's modules at their database
 * (`BenchEnvironment.useAppInProcess`): it writes through the app's pool.
 */

/** A SQL expression for a column, evaluated per row; `i` is the row's number (each factory says which column that is). */
export class SqlExpression {
  constructor(readonly text: string) {}
}

export const sql = (text: string): SqlExpression => new SqlExpression(text);

/** Complete for the e-mail footer (app/domain/shop-details.ts). */
export const SPAIN_ADDRESS = { address1: "1 Calle Mayor", city: "Madrid", zip: "28013", country: "Spain", countryCodeV2: "ES" };
/** Street, city and country: what the footer needs at least. */
export const US_ADDRESS = { address1: "1 Main St", city: "Springfield", country: "United States" };

// ── shops ────────────────────────────────────────────────────────────────────────────────────

export type ShopFields = Partial<Omit<Prisma.ShopUncheckedCreateInput, "id">>;

/**
 * A shop row with the given columns; `domain` defaults to a new random one. With `session`, the
 * offline session an install stores (the app's scopes) is stored first, so routes authenticate
 * and `unauthenticated.admin(domain)` works.
 */
export async function makeShop(fields: ShopFields = {}, { session = false }: { session?: boolean } = {}): Promise<Shop> {
  const domain = fields.domain ?? `${randomUUID()}.myshopify.com`;
  if (session) {
    // Loaded when needed: most tests that make shops never load the Shopify app's configuration.
    const [{ sessionStorage }, { env }, { offlineSession }] = await Promise.all([
      import("../../app/shopify.server"),
      import("../../app/env.server"),
      import("./shopify"),
    ]);
    await sessionStorage.storeSession(offlineSession(domain, env.SCOPES));
  }
  return prisma.shop.create({ data: { ...fields, domain } });
}

// ── campaigns ────────────────────────────────────────────────────────────────────────────────

/**
 * The shop's ready-made campaign, Live as Go Live leaves it (status, `live_since`) but without
 * Go Live's checks and jobs; `settings`, when given, are saved through the editor's model first.
 */
export async function liveCampaign(
  shopId: number,
  settings?: CampaignSettings,
  { liveSince = new Date() }: { liveSince?: Date } = {},
): Promise<CampaignView> {
  const { ensureReadyMadeCampaign, getCampaign, saveCampaignSettings } = await import("../../app/models/campaigns.server");
  const campaignId = await ensureReadyMadeCampaign(shopId);
  if (settings) {
    const saved = await saveCampaignSettings(shopId, campaignId, settings);
    if (!saved.ok) throw new Error(`the campaign's settings were refused: ${JSON.stringify(saved)}`);
  }
  await prisma.campaign.update({ where: { shopId_id: { shopId, id: campaignId } }, data: { status: "live", liveSince } });
  return (await getCampaign(shopId, campaignId))!;
}

// ── rows in bulk ─────────────────────────────────────────────────────────────────────────────

type Id = number | bigint | string;
type Timestamp = Date | string | null;
type Overrides<Row> = { [K in keyof Row]?: Row[K] | SqlExpression };

export interface RowOptions {
  /** The number of the first generated row, or of the first given row without one (default 1). */
  firstId?: number;
  /** A row whose key exists already: left as it is, or updated with every column written here. */
  onConflict?: "ignore" | "update";
  /** A transaction's connection (`inTransaction`); default the pool. */
  db?: Db;
}

interface Table<Row> {
  name: string;
  /** Every column a factory may write, by its camelCase name, with its SQL type. */
  columns: { [K in keyof Row]-?: string };
  /** The column numbered by `i`: firstId, firstId + 1, … */
  counter: keyof Row & string;
  /** The unique key a conflict is on. */
  key: string[];
  defaults: Overrides<Row>;
}

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** One INSERT … SELECT for `count` generated rows or the given ones; `fixed` columns are the same in every row. */
async function insertRows<Row>(
  table: Table<Row>,
  fixed: Overrides<Row>,
  rows: number | readonly Partial<Row>[],
  overrides: Overrides<Row>,
  { firstId = 1, onConflict, db }: RowOptions,
  returning?: string,
): Promise<{ count: number; rows: Record<string, unknown>[] }> {
  const types = table.columns as Record<string, string>;
  const given = (source: object) => Object.keys(source).filter((name) => (source as Record<string, unknown>)[name] !== undefined);
  for (const name of [...given(fixed), ...given(overrides), ...(typeof rows === "number" ? [] : rows.flatMap(given))]) {
    if (!(name in types)) throw new Error(`${table.name} has no column ${name} a factory writes`);
  }
  const params: unknown[] = [];
  const param = (value: unknown, type: string) => `$${params.push(value)}::${type}`;
  const fallback = (name: string): string => {
    const value = [fixed, overrides, table.defaults]
      .map((source) => (source as Record<string, unknown>)[name])
      .find((v) => v !== undefined);
    return value instanceof SqlExpression ? `(${value.text})` : param(value, types[name]!);
  };

  let columns: string[];
  let select: string;
  if (typeof rows === "number") {
    columns = [...new Set([table.counter, ...given(fixed), ...given(overrides), ...given(table.defaults)])];
    const exprs = columns.map((name) => (name === table.counter ? "i" : fallback(name)));
    select = `SELECT ${exprs.join(", ")} FROM generate_series(${param(firstId, "int")}, ${param(firstId + rows - 1, "int")}) AS i`;
  } else {
    const numbered = rows.map(
      (row, index) => ({ ...row, [table.counter]: row[table.counter] ?? firstId + index }) as Record<string, unknown>,
    );
    const inRows = (name: string) => numbered.filter((row) => row[name] !== undefined).length;
    columns = [...new Set([table.counter, ...given(fixed), ...given(overrides), ...given(table.defaults), ...numbered.flatMap(given)])];
    const exprs = columns.map((name) => {
      const column = `c.${snakeCase(name)}`;
      if (name in fixed && fixed[name as keyof Row] !== undefined) return fallback(name);
      if (inRows(name) === numbered.length) return column;
      if (inRows(name) === 0) return fallback(name);
      return `CASE WHEN r.j ? '${snakeCase(name)}' THEN ${column} ELSE ${fallback(name)} END`;
    });
    const json = JSON.stringify(
      numbered.map((row) => Object.fromEntries(Object.entries(row).map(([name, value]) => [snakeCase(name), value]))),
      (_, value: unknown) => (typeof value === "bigint" ? String(value) : value),
    );
    // Each row typed by the table's own columns; ordinality keeps the given order (a test may depend on it).
    select =
      `SELECT ${exprs.join(", ")} FROM jsonb_array_elements(${param(json, "jsonb")}) WITH ORDINALITY AS r(j, n)` +
      ` CROSS JOIN LATERAL jsonb_populate_record(NULL::${table.name}, r.j) AS c` +
      ` CROSS JOIN LATERAL (SELECT c.${snakeCase(table.counter)} AS i) AS numbered ORDER BY r.n`;
  }

  const names = columns.map(snakeCase);
  const updates = names.filter((name) => !table.key.includes(name)).map((name) => `${name} = EXCLUDED.${name}`);
  const conflict =
    onConflict === "ignore"
      ? " ON CONFLICT DO NOTHING"
      : onConflict === "update"
        ? ` ON CONFLICT (${table.key.join(", ")}) DO UPDATE SET ${updates.join(", ")}`
        : "";
  const statement = `INSERT INTO ${table.name} (${names.join(", ")}) ${select}${conflict}`;
  if (!returning) return { count: await execute(statement, params, db), rows: [] };
  const returned = await queryRows<Record<string, unknown>>(`${statement} RETURNING ${returning}`, params, db);
  return { count: returned.length, rows: returned };
}

// ── customers ────────────────────────────────────────────────────────────────────────────────

export interface CustomerFields {
  shopId: number;
  id: Id;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  locale: string | null;
  emailMarketingState: string | null;
  emailMarketingUpdatedAt: Timestamp;
  shopifyRfmGroup: string | null;
  predictedSpendTier: string | null;
  ordersCount: number;
  totalSpent: number | string;
  currency: string | null;
  firstOrderAt: Timestamp;
  lastOrderAt: Timestamp;
  medianGapDays: number | null;
  orderHours: number[] | null;
  rScore: number | null;
  fScore: number | null;
  mScore: number | null;
  lastCheckoutAt: Timestamp;
  suppressedAt: Timestamp;
  lastContactedAt: Timestamp;
  shopifyUpdatedAt: Timestamp;
}

const CUSTOMERS: Table<CustomerFields> = {
  name: "customers",
  columns: {
    shopId: "int",
    id: "bigint",
    email: "text",
    firstName: "text",
    lastName: "text",
    locale: "text",
    emailMarketingState: "text",
    emailMarketingUpdatedAt: "timestamptz",
    shopifyRfmGroup: "text",
    predictedSpendTier: "text",
    ordersCount: "int",
    totalSpent: "numeric",
    currency: "text",
    firstOrderAt: "timestamptz",
    lastOrderAt: "timestamptz",
    medianGapDays: "float8",
    orderHours: "int[]",
    rScore: "smallint",
    fScore: "smallint",
    mScore: "smallint",
    lastCheckoutAt: "timestamptz",
    suppressedAt: "timestamptz",
    lastContactedAt: "timestamptz",
    shopifyUpdatedAt: "timestamptz",
  },
  counter: "id",
  key: ["shop_id", "id"],
  // A lapsed buyer subscribed to e-mail marketing: the engine would enter them. No habits (order
  // hours), so quiet-hour rules never move their steps.
  defaults: {
    email: sql("'customer' || i || '@example.com'"),
    emailMarketingState: "SUBSCRIBED",
    ordersCount: 2,
    lastOrderAt: sql("now() - interval '200 days'"),
    orderHours: [],
  },
};

/** Customers of the shop (`i` is the customer id); returns how many rows were written. */
export async function makeCustomers(
  shopId: number,
  rows: number | readonly Partial<Omit<CustomerFields, "shopId">>[],
  overrides: Overrides<Omit<CustomerFields, "shopId">> = {},
  options: RowOptions = {},
): Promise<number> {
  return (await insertRows<CustomerFields>(CUSTOMERS, { shopId }, rows, overrides, options)).count;
}

// ── orders ───────────────────────────────────────────────────────────────────────────────────

export interface OrderFields {
  shopId: number;
  id: Id;
  customerId: Id | null;
  createdAt: Timestamp;
  total: number | string;
  refunded: number | string;
  currency: string;
  discountCodes: string[] | null;
  productIds: Id[] | null;
  cancelledAt: Timestamp;
  shopifyUpdatedAt: Timestamp;
}

const ORDERS: Table<OrderFields> = {
  name: "orders",
  columns: {
    shopId: "int",
    id: "bigint",
    customerId: "bigint",
    createdAt: "timestamptz",
    total: "numeric",
    refunded: "numeric",
    currency: "text",
    discountCodes: "text[]",
    productIds: "bigint[]",
    cancelledAt: "timestamptz",
    shopifyUpdatedAt: "timestamptz",
  },
  counter: "id",
  key: ["shop_id", "id"],
  // An order placed now, without a code or products, nothing refunded (the column's default).
  defaults: { createdAt: sql("now()"), total: 80, currency: "EUR", discountCodes: [], productIds: [] },
};

/** Orders of the shop (`i` is the order id); returns how many rows were written. */
export async function makeOrders(
  shopId: number,
  rows: number | readonly Partial<Omit<OrderFields, "shopId">>[],
  overrides: Overrides<Omit<OrderFields, "shopId">> = {},
  options: RowOptions = {},
): Promise<number> {
  return (await insertRows<OrderFields>(ORDERS, { shopId }, rows, overrides, options)).count;
}

// ── enrollments ──────────────────────────────────────────────────────────────────────────────

export interface EnrollmentFields {
  shopId: number;
  campaignId: number;
  customerId: Id;
  cycle: number;
  holdout: boolean;
  status: string;
  exitReason: string | null;
  enteredAt: Timestamp;
  nextStep: number | null;
  nextStepDueAt: Timestamp;
  lastStepSent: number;
  lastStepSentAt: Timestamp;
  lastClickedAt: Timestamp;
  convertedAt: Timestamp;
  conversionOrderId: Id | null;
  endedAt: Timestamp;
  updatedAt: Timestamp;
}

const ENROLLMENTS: Table<EnrollmentFields> = {
  name: "enrollments",
  columns: {
    shopId: "int",
    campaignId: "int",
    customerId: "bigint",
    cycle: "int",
    holdout: "boolean",
    status: "text",
    exitReason: "text",
    enteredAt: "timestamptz",
    nextStep: "smallint",
    nextStepDueAt: "timestamptz",
    lastStepSent: "smallint",
    lastStepSentAt: "timestamptz",
    lastClickedAt: "timestamptz",
    convertedAt: "timestamptz",
    conversionOrderId: "bigint",
    endedAt: "timestamptz",
    updatedAt: "timestamptz",
  },
  counter: "customerId",
  key: ["shop_id", "campaign_id", "customer_id", "cycle"],
  // Entered now, first cycle, contacted (not holdout), active (the column's default) with nothing due.
  defaults: { cycle: 1, holdout: false, enteredAt: sql("now()"), updatedAt: sql("now()") },
};

/**
 * Enrollments in a campaign (`i` is the customer id; the campaign may be a SQL expression of it
 * too); returns each row's id and customer, in the order written.
 */
export async function makeEnrollments(
  shopId: number,
  campaignId: number | SqlExpression,
  rows: number | readonly Partial<Omit<EnrollmentFields, "shopId" | "campaignId">>[],
  overrides: Overrides<Omit<EnrollmentFields, "shopId" | "campaignId">> = {},
  options: RowOptions = {},
): Promise<{ id: bigint; customerId: bigint }[]> {
  const written = await insertRows<EnrollmentFields>(ENROLLMENTS, { shopId, campaignId }, rows, overrides, options, "id, customer_id");
  return written.rows.map((row) => ({ id: BigInt(row.id as string), customerId: BigInt(row.customerId as string) }));
}
