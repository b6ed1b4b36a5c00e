import type { PoolClient } from "pg";
import { from as copyFrom } from "pg-copy-streams";
import prisma, { pool } from "../db.server";
import { refreshCustomerAggregates } from "./customer-aggregates.server";
import { refreshProductAffinity } from "./recommendations.server";
import { scoreShop } from "./scoring.server";
import type { AdminQuery } from "./shopify-admin.server";

/**
 * The back-fill: customers, orders (with line items) and products read from Shopify with bulk
 * operations and streamed into PostgreSQL, then aggregates and scores computed.
 *
 * It is a state machine kept on the shop row, so any worker can continue it after a crash:
 *   idle|requested → running(customers → orders → products → scoring) → completed | failed
 * Each phase remembers its bulk operation and how many JSONL lines are committed; batches are
 * COPY'd into a session staging table and upserted in one transaction together with that count,
 * so a restart resumes exactly after the last committed line. Upserts are ordered by Shopify's
 * updatedAt, so webhooks applied meanwhile are never rolled back.
 */

export const BACKFILL_PHASES = ["customers", "orders", "products"] as const;
export type BackfillPhase = (typeof BACKFILL_PHASES)[number];

/** The shop's count of records imported in each phase (reset when a phase starts over). */
const IMPORTED_COUNTER = { customers: "customersImported", orders: "ordersImported", products: "productsImported" } as const;

/** Root records per committed batch. */
export const BATCH_SIZE = 5_000;
const POLL_MS = 2_000;

export const BULK_QUERIES: Record<BackfillPhase, string> = {
  customers: `#graphql
    query BackfillCustomers {
      customers {
        edges {
          node {
            id
            firstName
            lastName
            locale
            updatedAt
            defaultEmailAddress { emailAddress marketingState marketingUpdatedAt }
            statistics { rfmGroup predictedSpendTier }
          }
        }
      }
    }`,
  orders: `#graphql
    query BackfillOrders {
      orders {
        edges {
          node {
            id
            createdAt
            updatedAt
            cancelledAt
            customer { id }
            totalPriceSet { shopMoney { amount currencyCode } }
            totalRefundedSet { shopMoney { amount } }
            discountCodes
            lineItems { edges { node { product { id } } } }
          }
        }
      }
    }`,
  products: `#graphql
    query BackfillProducts {
      products {
        edges {
          node {
            id
            title
            handle
            status
            productType
            vendor
            publishedAt
            updatedAt
            featuredMedia { preview { image { url } } }
            collections { edges { node { title } } }
            variants { edges { node { price availableForSale inventoryItem { unitCost { amount } } } } }
          }
        }
      }
    }`,
};

const START_BULK_QUERY = `#graphql
  mutation BackfillStart($query: String!) {
    bulkOperationRunQuery(query: $query, groupObjects: true) {
      bulkOperation { id status }
      userErrors { field message code }
    }
  }`;

const BULK_STATUS = `#graphql
  query BackfillStatus($id: ID!) {
    bulkOperation(id: $id) { id status errorCode objectCount url }
  }`;

export type BackfillStep = { state: "completed" | "not-requested" | "uninstalled" } | { state: "waiting"; waitMs: number };

export interface BackfillDeps {
  admin: AdminQuery;
  /** Called after each committed batch (tests use it to stop a run half-way). */
  afterBatch?: (phase: BackfillPhase, linesDone: number) => void | Promise<void>;
}

/** Asks for a (new) back-fill unless one is running; the caller enqueues the job. */
export async function requestBackfill(shopId: number): Promise<boolean> {
  const { count } = await prisma.shop.updateMany({
    where: { id: shopId, NOT: { syncState: "running" } },
    data: { syncState: "requested", syncError: null },
  });
  return count > 0;
}

/** Shops whose back-fill should be running or started: the maintenance sweep re-enqueues their job. */
export async function shopsAwaitingBackfill(): Promise<number[]> {
  const shops = await prisma.shop.findMany({
    where: { uninstalledAt: null, syncState: { in: ["idle", "requested", "running"] } },
    select: { id: true },
  });
  return shops.map((shop) => shop.id);
}

export async function markBackfillFailed(shopId: number, message: string): Promise<void> {
  await prisma.shop.updateMany({
    where: { id: shopId, syncState: "running" },
    data: { syncState: "failed", syncError: message.slice(0, 500) },
  });
}

/** Advances the back-fill as far as it can; returns how long to wait when Shopify is still working. */
export async function runBackfill(shopId: number, deps: BackfillDeps): Promise<BackfillStep> {
  let shop = await prisma.shop.findUniqueOrThrow({ where: { id: shopId } });
  if (shop.uninstalledAt) return { state: "uninstalled" };
  if (shop.syncState !== "running") {
    if (shop.syncState !== "idle" && shop.syncState !== "requested") return { state: "not-requested" };
    shop = await prisma.shop.update({
      where: { id: shopId },
      data: {
        syncState: "running",
        syncPhase: "customers",
        syncBulkOperation: null,
        syncLinesDone: 0,
        syncStartedAt: new Date(),
        syncError: null,
        customersImported: 0,
        ordersImported: 0,
        productsImported: 0,
      },
    });
  }

  for (;;) {
    const phase = shop.syncPhase as BackfillPhase | "scoring";
    if (phase === "scoring") {
      await computeAggregatesAndScores(shopId);
      await prisma.shop.update({
        where: { id: shopId },
        data: { syncState: "completed", syncPhase: null, syncBulkOperation: null, syncedAt: new Date() },
      });
      return { state: "completed" };
    }

    if (!shop.syncBulkOperation) {
      const started = await deps.admin(shop.domain, START_BULK_QUERY, { query: BULK_QUERIES[phase] });
      const { bulkOperation, userErrors } = started.bulkOperationRunQuery ?? { bulkOperation: null, userErrors: [] };
      if (!bulkOperation) {
        // Another bulk query of this app is running for the shop (e.g. an older attempt): wait for it.
        if (userErrors.some((error) => error.code === "OPERATION_IN_PROGRESS")) return { state: "waiting", waitMs: POLL_MS };
        throw new Error(`bulk query for ${phase} refused: ${userErrors.map((error) => error.message).join("; ")}`);
      }
      shop = await prisma.shop.update({ where: { id: shopId }, data: { syncBulkOperation: bulkOperation.id, syncLinesDone: 0 } });
    }

    const { bulkOperation } = await deps.admin(shop.domain, BULK_STATUS, { id: shop.syncBulkOperation! });
    if (!bulkOperation || ["FAILED", "CANCELED", "CANCELING", "EXPIRED"].includes(bulkOperation.status)) {
      // Start the phase over with a new bulk operation; the job's retries bound how often.
      await prisma.shop.update({
        where: { id: shopId },
        data: { syncBulkOperation: null, syncLinesDone: 0, [IMPORTED_COUNTER[phase]]: 0 },
      });
      throw new Error(
        `bulk operation for ${phase} ended ${bulkOperation?.status ?? "missing"}${bulkOperation?.errorCode ? ` (${bulkOperation.errorCode})` : ""}`,
      );
    }
    if (bulkOperation.status !== "COMPLETED") return { state: "waiting", waitMs: POLL_MS };

    if (bulkOperation.url) await importBulkResult(shopId, phase, bulkOperation.url, shop.syncLinesDone, deps.afterBatch);
    await dropForgottenCustomers(shopId);
    const next = BACKFILL_PHASES[BACKFILL_PHASES.indexOf(phase) + 1] ?? "scoring";
    shop = await prisma.shop.update({ where: { id: shopId }, data: { syncPhase: next, syncBulkOperation: null, syncLinesDone: 0 } });
  }
}

/** The last step of a back-fill: every customer's aggregates from the imported orders, scores, product pairs. */
export async function computeAggregatesAndScores(shopId: number): Promise<void> {
  await dropForgottenCustomers(shopId);
  // A large import leaves the planner without statistics; without them the set-based
  // statements below pick nested loops and take minutes instead of seconds.
  await pool.query("ANALYZE customers");
  await pool.query("ANALYZE orders");
  await refreshCustomerAggregates(shopId, "all");
  await scoreShop(shopId);
  await pool.query("ANALYZE products");
  await refreshProductAffinity(shopId);
  await pool.query("ANALYZE product_pairs");
}

/**
 * An export taken before a customer was deleted or redacted still lists them (and a redacted
 * customer's orders). Run after each phase and before scoring: a deletion that raced with a batch
 * is caught by the next run, and one that comes after the last run finds every row committed.
 */
async function dropForgottenCustomers(shopId: number): Promise<void> {
  await pool.query(`DELETE FROM customers c USING forgotten_customers f WHERE f.shop_id = $1 AND c.shop_id = $1 AND c.id = f.customer_id`, [
    shopId,
  ]);
  await pool.query(
    `DELETE FROM orders o USING forgotten_customers f WHERE f.shop_id = $1 AND o.shop_id = $1 AND o.customer_id = f.customer_id`,
    [shopId],
  );
}

// ── streaming import ────────────────────────────────────────────────────────────────────────────

type Line = Record<string, unknown> & { id?: string; __parentId?: string };

/** Lines of a streamed JSONL body, without holding more than one chunk. */
async function* jsonLines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let rest = "";
  // Node's web streams are async-iterable; the DOM typings do not say so.
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    const text = rest + decoder.decode(chunk, { stream: true });
    const lines = text.split("\n");
    rest = lines.pop()!;
    for (const line of lines) if (line) yield line;
  }
  rest += decoder.decode();
  if (rest) yield rest;
}

/**
 * Streams one bulk operation's JSONL result into the phase's table, committing after `startLine`.
 * Parsing the next batch overlaps with the database writing the previous one; commits stay in order
 * and at most one batch is in flight, so memory stays at two batches.
 */
export async function importBulkResult(
  shopId: number,
  phase: BackfillPhase,
  url: string,
  startLine = 0,
  afterBatch?: BackfillDeps["afterBatch"],
): Promise<void> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`bulk result download answered ${response.status}`);
  let inFlight: Promise<void> = Promise.resolve();
  const commitInOrder = async (batch: Batch, linesDone: number, last: boolean) => {
    const rows = batch.copyText(shopId);
    await inFlight;
    inFlight = commitBatch(shopId, phase, rows, batch.roots, linesDone).then(() => afterBatch?.(phase, linesDone));
    // Awaited before the next commit (or at the end); until then a failure must not count as unhandled.
    inFlight.catch(() => {});
    if (last) await inFlight;
  };

  let batch = new Batch(phase);
  let lineNumber = 0;
  let committed = startLine;
  try {
    for await (const text of jsonLines(response.body)) {
      if (lineNumber++ < startLine) continue;
      const line = JSON.parse(text) as Line;
      // Commit only between root records, so an order is never split from its line items.
      if (!line.__parentId && batch.roots >= BATCH_SIZE) {
        committed = lineNumber - 1;
        await commitInOrder(batch, committed, false);
        batch = new Batch(phase);
      }
      batch.add(line);
    }
    if (lineNumber > committed) await commitInOrder(batch, lineNumber, true);
  } finally {
    // Also when the download or parsing fails: a retry must not start while a commit is still running.
    await inFlight.catch(() => {});
  }
  await inFlight;
}

const numericId = (gid: unknown): string | null => (typeof gid === "string" ? (/\/(\d+)$/.exec(gid)?.[1] ?? null) : null);

interface ProductRow {
  line: Line;
  collections: string[];
  variants: { price: number; cost: string | null; available: boolean }[];
}

/** The root records of one batch, with their children folded in. */
class Batch {
  roots = 0;
  private rows: Line[] = [];
  private orderProducts = new Map<string, Set<string>>();
  private products = new Map<string, ProductRow>();

  constructor(readonly phase: BackfillPhase) {}

  add(line: Line): void {
    if (!line.__parentId) {
      this.roots++;
      this.rows.push(line);
      if (this.phase === "orders") this.orderProducts.set(line.id!, new Set());
      if (this.phase === "products") this.products.set(line.id!, { line, collections: [], variants: [] });
      return;
    }
    if (this.phase === "orders") {
      const productId = numericId((line.product as { id?: string } | null)?.id);
      if (productId) this.orderProducts.get(line.__parentId)?.add(productId);
    } else if (this.phase === "products") {
      const product = this.products.get(line.__parentId);
      if (!product) return;
      if (typeof line.title === "string") product.collections.push(line.title);
      else {
        const cost = (line.inventoryItem as { unitCost?: { amount: string } | null } | null)?.unitCost?.amount ?? null;
        product.variants.push({ price: Number(line.price), cost, available: line.availableForSale === true });
      }
    }
  }

  /** Rows in the order of TARGETS[phase].columns after shop_id. */
  private *copyRows(): Generator<unknown[]> {
    for (const row of this.rows) {
      if (this.phase === "customers") {
        const email = row.defaultEmailAddress as {
          emailAddress?: string;
          marketingState?: string;
          marketingUpdatedAt?: string | null;
        } | null;
        const statistics = row.statistics as { rfmGroup?: string | null; predictedSpendTier?: string | null } | null;
        yield [
          numericId(row.id),
          email?.emailAddress ?? null,
          row.firstName ?? null,
          row.lastName ?? null,
          row.locale ?? null,
          email?.marketingState ?? null,
          email?.marketingUpdatedAt ?? null,
          statistics?.rfmGroup ?? null,
          statistics?.predictedSpendTier ?? null,
          row.updatedAt,
          [],
        ];
      } else if (this.phase === "orders") {
        const total = (row.totalPriceSet as { shopMoney: { amount: string; currencyCode: string } }).shopMoney;
        const refunded = (row.totalRefundedSet as { shopMoney: { amount: string } } | null)?.shopMoney.amount ?? "0";
        yield [
          numericId(row.id),
          numericId((row.customer as { id?: string } | null)?.id),
          row.createdAt,
          total.amount,
          refunded,
          total.currencyCode,
          (row.discountCodes as string[] | undefined) ?? [],
          [...(this.orderProducts.get(row.id!) ?? [])],
          row.cancelledAt ?? null,
          row.updatedAt,
        ];
      } else {
        const product = this.products.get(row.id!)!;
        const cheapest = [...product.variants].sort((a, b) => a.price - b.price)[0];
        const image = (row.featuredMedia as { preview?: { image?: { url?: string } | null } | null } | null)?.preview?.image?.url ?? null;
        yield [
          numericId(row.id),
          row.title,
          row.handle,
          image,
          cheapest ? cheapest.price.toFixed(2) : "0.00",
          cheapest?.cost ?? null,
          row.status,
          row.publishedAt !== null && row.publishedAt !== undefined,
          product.variants.some((variant) => variant.available),
          row.productType,
          row.vendor,
          product.collections,
          row.updatedAt,
        ];
      }
    }
  }

  /** The batch in PostgreSQL's COPY text format, rendered here so the database connection waits for nothing. */
  copyText(shopId: number): string {
    let text = "";
    for (const row of this.copyRows()) text += `${shopId}\t${row.map(copyValue).join("\t")}\n`;
    return text;
  }
}

interface Target {
  table: string;
  /** The columns each COPY row fills, shop_id first. */
  columns: string;
  /** How an imported row updates one the table already holds. */
  onConflict: string;
  counter: string;
}

const TARGETS: Record<BackfillPhase, Target> = {
  customers: {
    table: "customers",
    columns:
      "shop_id, id, email, first_name, last_name, locale, email_marketing_state, email_marketing_updated_at, shopify_rfm_group, predicted_spend_tier, shopify_updated_at, order_hours",
    // Profile fields follow Shopify's updatedAt, consent its own timestamp; statistics come only from here.
    onConflict: `DO UPDATE SET
      email = CASE WHEN customers.shopify_updated_at IS NULL OR customers.shopify_updated_at <= EXCLUDED.shopify_updated_at THEN EXCLUDED.email ELSE customers.email END,
      first_name = CASE WHEN customers.shopify_updated_at IS NULL OR customers.shopify_updated_at <= EXCLUDED.shopify_updated_at THEN EXCLUDED.first_name ELSE customers.first_name END,
      last_name = CASE WHEN customers.shopify_updated_at IS NULL OR customers.shopify_updated_at <= EXCLUDED.shopify_updated_at THEN EXCLUDED.last_name ELSE customers.last_name END,
      locale = CASE WHEN customers.shopify_updated_at IS NULL OR customers.shopify_updated_at <= EXCLUDED.shopify_updated_at THEN EXCLUDED.locale ELSE customers.locale END,
      shopify_updated_at = greatest(customers.shopify_updated_at, EXCLUDED.shopify_updated_at),
      email_marketing_state = CASE WHEN customers.email_marketing_updated_at IS NULL OR customers.email_marketing_updated_at <= EXCLUDED.email_marketing_updated_at
                                   THEN EXCLUDED.email_marketing_state ELSE customers.email_marketing_state END,
      email_marketing_updated_at = greatest(customers.email_marketing_updated_at, EXCLUDED.email_marketing_updated_at),
      shopify_rfm_group = EXCLUDED.shopify_rfm_group,
      predicted_spend_tier = EXCLUDED.predicted_spend_tier,
      updated_at = now()`,
    counter: "customers_imported",
  },
  orders: {
    table: "orders",
    columns:
      "shop_id, id, customer_id, created_at, total, refunded, currency, discount_codes, product_ids, cancelled_at, shopify_updated_at",
    onConflict: `DO UPDATE SET
      customer_id = EXCLUDED.customer_id, total = EXCLUDED.total, refunded = EXCLUDED.refunded, currency = EXCLUDED.currency,
      discount_codes = EXCLUDED.discount_codes, product_ids = EXCLUDED.product_ids, cancelled_at = EXCLUDED.cancelled_at,
      shopify_updated_at = EXCLUDED.shopify_updated_at
    WHERE orders.shopify_updated_at IS NULL OR orders.shopify_updated_at <= EXCLUDED.shopify_updated_at`,
    counter: "orders_imported",
  },
  products: {
    table: "products",
    columns:
      "shop_id, id, title, handle, image_url, price, unit_cost, status, published, available, product_type, vendor, collections, shopify_updated_at",
    onConflict: `DO UPDATE SET
      title = EXCLUDED.title, handle = EXCLUDED.handle, image_url = EXCLUDED.image_url, price = EXCLUDED.price,
      unit_cost = EXCLUDED.unit_cost, status = EXCLUDED.status, published = EXCLUDED.published, available = EXCLUDED.available,
      product_type = EXCLUDED.product_type, vendor = EXCLUDED.vendor, collections = EXCLUDED.collections,
      shopify_updated_at = EXCLUDED.shopify_updated_at`,
    counter: "products_imported",
  },
};

const UNIQUE_VIOLATION = "23505";

/**
 * Writes one batch and the lines done in one transaction. Rows the table does not hold yet (every
 * row of a first import) are COPY'd straight in, as fast as PostgreSQL loads anything. When any row
 * exists already (a re-import, or a webhook got there first), that COPY fails on the key and the
 * batch goes through a staging table and the guarded upsert instead.
 */
async function commitBatch(shopId: number, phase: BackfillPhase, copyText: string, roots: number, linesDone: number): Promise<void> {
  const target = TARGETS[phase];
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SAVEPOINT direct_copy");
    try {
      await copyInto(client, `COPY ${target.table} (${target.columns}) FROM STDIN`, copyText);
    } catch (error) {
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
      await client.query("ROLLBACK TO SAVEPOINT direct_copy");
      const staging = `backfill_${target.table}`;
      await client.query(`CREATE TEMP TABLE IF NOT EXISTS ${staging} (LIKE ${target.table} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`);
      await copyInto(client, `COPY ${staging} (${target.columns}) FROM STDIN`, copyText);
      await client.query(
        `INSERT INTO ${target.table} (${target.columns}) SELECT ${target.columns} FROM ${staging} ON CONFLICT (shop_id, id) ${target.onConflict}`,
      );
    }
    await client.query(`UPDATE shops SET sync_lines_done = $2, ${target.counter} = ${target.counter} + $3 WHERE id = $1`, [
      shopId,
      linesDone,
      roots,
    ]);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

// ── COPY text format ───────────────────────────────────────────────────────────────────────────

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };
// Most values need no escaping; testing first keeps rendering a million rows cheap.
const escapeCopy = (text: string) => (COPY_SPECIAL.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : text);

/** Every element quoted: valid for text[] and bigint[] alike. */
function arrayLiteral(values: unknown[]): string {
  if (values.length === 0) return "{}";
  return `{${values.map((value) => `"${String(value).replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(",")}}`;
}

/** One value in PostgreSQL's COPY text format (NULL is \N; arrays as array literals). */
export function copyValue(value: unknown): string {
  if (value === null || value === undefined) return "\\N";
  if (Array.isArray(value)) return escapeCopy(arrayLiteral(value));
  if (typeof value === "boolean") return value ? "t" : "f";
  return escapeCopy(String(value));
}

async function copyInto(client: PoolClient, statement: string, text: string): Promise<void> {
  const stream = client.query(copyFrom(statement));
  const done = new Promise<void>((resolve, reject) => {
    stream.on("finish", () => resolve());
    stream.on("error", reject);
  });
  stream.end(text);
  await done;
}
