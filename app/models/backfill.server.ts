import { once } from "node:events";
import type { PoolClient } from "pg";
import { from as copyFrom } from "pg-copy-streams";
import prisma, { pool } from "../db.server";
import { refreshCustomerAggregates } from "./customer-aggregates.server";
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
type Phase = (typeof BACKFILL_PHASES)[number];

/** Root records per committed batch. */
export const BATCH_SIZE = 5_000;
const POLL_MS = 2_000;

export const BULK_QUERIES: Record<Phase, string> = {
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
  afterBatch?: (phase: Phase, linesDone: number) => void | Promise<void>;
}

/** Asks for a (new) back-fill unless one is running; the caller enqueues the job. */
export async function requestBackfill(shopId: number): Promise<boolean> {
  const { count } = await prisma.shop.updateMany({ where: { id: shopId, NOT: { syncState: "running" } }, data: { syncState: "requested", syncError: null } });
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
  await prisma.shop.updateMany({ where: { id: shopId, syncState: "running" }, data: { syncState: "failed", syncError: message.slice(0, 500) } });
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
    const phase = shop.syncPhase as Phase | "scoring";
    if (phase === "scoring") {
      // A large import leaves the planner without statistics; without them the set-based
      // statements below pick nested loops and take minutes instead of seconds.
      await pool.query("ANALYZE customers");
      await pool.query("ANALYZE orders");
      await refreshCustomerAggregates(shopId, "all");
      await scoreShop(shopId);
      await prisma.shop.update({ where: { id: shopId }, data: { syncState: "completed", syncPhase: null, syncBulkOperation: null, syncedAt: new Date() } });
      return { state: "completed" };
    }

    if (!shop.syncBulkOperation) {
      const started = await deps.admin<{
        bulkOperationRunQuery: { bulkOperation: { id: string } | null; userErrors: { message: string; code: string | null }[] };
      }>(shop.domain, START_BULK_QUERY, { query: BULK_QUERIES[phase] });
      const { bulkOperation, userErrors } = started.bulkOperationRunQuery;
      if (!bulkOperation) {
        // Another bulk query of this app is running for the shop (e.g. an older attempt): wait for it.
        if (userErrors.some((error) => error.code === "OPERATION_IN_PROGRESS")) return { state: "waiting", waitMs: POLL_MS };
        throw new Error(`bulk query for ${phase} refused: ${userErrors.map((error) => error.message).join("; ")}`);
      }
      shop = await prisma.shop.update({ where: { id: shopId }, data: { syncBulkOperation: bulkOperation.id, syncLinesDone: 0 } });
    }

    const { bulkOperation } = await deps.admin<{ bulkOperation: { status: string; errorCode: string | null; url: string | null } | null }>(
      shop.domain,
      BULK_STATUS,
      { id: shop.syncBulkOperation },
    );
    if (!bulkOperation || ["FAILED", "CANCELED", "CANCELING", "EXPIRED"].includes(bulkOperation.status)) {
      // Start the phase over with a new bulk operation; the job's retries bound how often.
      await prisma.shop.update({ where: { id: shopId }, data: { syncBulkOperation: null, syncLinesDone: 0 } });
      throw new Error(`bulk operation for ${phase} ended ${bulkOperation?.status ?? "missing"}${bulkOperation?.errorCode ? ` (${bulkOperation.errorCode})` : ""}`);
    }
    if (bulkOperation.status !== "COMPLETED") return { state: "waiting", waitMs: POLL_MS };

    if (bulkOperation.url) await importJsonl(shopId, phase, bulkOperation.url, shop.syncLinesDone, deps);
    const next = BACKFILL_PHASES[BACKFILL_PHASES.indexOf(phase) + 1] ?? "scoring";
    shop = await prisma.shop.update({ where: { id: shopId }, data: { syncPhase: next, syncBulkOperation: null, syncLinesDone: 0 } });
  }
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

async function importJsonl(shopId: number, phase: Phase, url: string, startLine: number, deps: BackfillDeps): Promise<void> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`bulk result download answered ${response.status}`);
  const batch = new Batch(phase);
  let lineNumber = 0;
  let committed = startLine;
  for await (const text of jsonLines(response.body)) {
    if (lineNumber++ < startLine) continue;
    const line = JSON.parse(text) as Line;
    // Commit only between root records, so an order is never split from its line items.
    if (!line.__parentId && batch.roots >= BATCH_SIZE) {
      committed = lineNumber - 1;
      await commitBatch(shopId, batch, committed);
      await deps.afterBatch?.(phase, committed);
    }
    batch.add(line);
  }
  if (lineNumber > committed) await commitBatch(shopId, batch, lineNumber);
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

  constructor(readonly phase: Phase) {}

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

  /** Rows in COPY column order for this phase's staging table. */
  *copyRows(): Generator<unknown[]> {
    for (const row of this.rows) {
      if (this.phase === "customers") {
        const email = row.defaultEmailAddress as { emailAddress?: string; marketingState?: string; marketingUpdatedAt?: string | null } | null;
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

  clear(): void {
    this.roots = 0;
    this.rows = [];
    this.orderProducts.clear();
    this.products.clear();
  }
}

const STAGING: Record<Phase, { table: string; columns: string; create: string; upsert: string; counter: string }> = {
  customers: {
    table: "backfill_customers",
    columns: "id, email, first_name, last_name, locale, email_marketing_state, email_marketing_updated_at, shopify_rfm_group, predicted_spend_tier, shopify_updated_at",
    create: `CREATE TEMP TABLE IF NOT EXISTS backfill_customers (
      id bigint, email text, first_name text, last_name text, locale text, email_marketing_state text,
      email_marketing_updated_at timestamptz, shopify_rfm_group text, predicted_spend_tier text, shopify_updated_at timestamptz
    ) ON COMMIT DELETE ROWS`,
    // Profile fields follow Shopify's updatedAt, consent its own timestamp; statistics come only from here.
    upsert: `INSERT INTO customers (shop_id, id, email, first_name, last_name, locale, email_marketing_state,
               email_marketing_updated_at, shopify_rfm_group, predicted_spend_tier, shopify_updated_at, order_hours)
             SELECT $1, id, email, first_name, last_name, locale, email_marketing_state, email_marketing_updated_at,
                    shopify_rfm_group, predicted_spend_tier, shopify_updated_at, '{}'
             FROM backfill_customers
             ON CONFLICT (shop_id, id) DO UPDATE SET
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
    table: "backfill_orders",
    columns: "id, customer_id, created_at, total, refunded, currency, discount_codes, product_ids, cancelled_at, shopify_updated_at",
    create: `CREATE TEMP TABLE IF NOT EXISTS backfill_orders (
      id bigint, customer_id bigint, created_at timestamptz, total numeric(14,2), refunded numeric(14,2), currency text,
      discount_codes text[], product_ids bigint[], cancelled_at timestamptz, shopify_updated_at timestamptz
    ) ON COMMIT DELETE ROWS`,
    upsert: `INSERT INTO orders (shop_id, id, customer_id, created_at, total, refunded, currency, discount_codes, product_ids, cancelled_at, shopify_updated_at)
             SELECT $1, id, customer_id, created_at, total, refunded, currency, discount_codes, product_ids, cancelled_at, shopify_updated_at
             FROM backfill_orders
             ON CONFLICT (shop_id, id) DO UPDATE SET
               customer_id = EXCLUDED.customer_id, total = EXCLUDED.total, refunded = EXCLUDED.refunded, currency = EXCLUDED.currency,
               discount_codes = EXCLUDED.discount_codes, product_ids = EXCLUDED.product_ids, cancelled_at = EXCLUDED.cancelled_at,
               shopify_updated_at = EXCLUDED.shopify_updated_at
             WHERE orders.shopify_updated_at IS NULL OR orders.shopify_updated_at <= EXCLUDED.shopify_updated_at`,
    counter: "orders_imported",
  },
  products: {
    table: "backfill_products",
    columns: "id, title, handle, image_url, price, unit_cost, status, published, available, product_type, vendor, collections, shopify_updated_at",
    create: `CREATE TEMP TABLE IF NOT EXISTS backfill_products (
      id bigint, title text, handle text, image_url text, price numeric(14,2), unit_cost numeric(14,2), status text,
      published boolean, available boolean, product_type text, vendor text, collections text[], shopify_updated_at timestamptz
    ) ON COMMIT DELETE ROWS`,
    upsert: `INSERT INTO products (shop_id, id, title, handle, image_url, price, unit_cost, status, published, available, product_type, vendor, collections, shopify_updated_at)
             SELECT $1, id, title, handle, image_url, price, unit_cost, status, published, available, product_type, vendor, collections, shopify_updated_at
             FROM backfill_products
             ON CONFLICT (shop_id, id) DO UPDATE SET
               title = EXCLUDED.title, handle = EXCLUDED.handle, image_url = EXCLUDED.image_url, price = EXCLUDED.price,
               unit_cost = EXCLUDED.unit_cost, status = EXCLUDED.status, published = EXCLUDED.published, available = EXCLUDED.available,
               product_type = EXCLUDED.product_type, vendor = EXCLUDED.vendor, collections = EXCLUDED.collections,
               shopify_updated_at = EXCLUDED.shopify_updated_at`,
    counter: "products_imported",
  },
};

/** Copies the batch into staging and upserts it, recording the lines done, in one transaction. */
async function commitBatch(shopId: number, batch: Batch, linesDone: number): Promise<void> {
  const staging = STAGING[batch.phase];
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query(staging.create);
    await copyInto(client, `COPY ${staging.table} (${staging.columns}) FROM STDIN`, batch.copyRows());
    await client.query(staging.upsert, [shopId]);
    await client.query(`UPDATE shops SET sync_lines_done = $2, ${staging.counter} = ${staging.counter} + $3 WHERE id = $1`, [
      shopId,
      linesDone,
      batch.roots,
    ]);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
  batch.clear();
}

// ── COPY text format ───────────────────────────────────────────────────────────────────────────

const escapeCopy = (text: string) => text.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r");

/** Every element quoted: valid for text[] and bigint[] alike. */
function arrayLiteral(values: unknown[]): string {
  return `{${values.map((value) => `"${String(value).replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`).join(",")}}`;
}

/** One value in PostgreSQL's COPY text format (NULL is \N; arrays as array literals). */
export function copyValue(value: unknown): string {
  if (value === null || value === undefined) return "\\N";
  if (Array.isArray(value)) return escapeCopy(arrayLiteral(value));
  if (typeof value === "boolean") return value ? "t" : "f";
  return escapeCopy(String(value));
}

async function copyInto(client: PoolClient, statement: string, rows: Iterable<unknown[]>): Promise<void> {
  const stream = client.query(copyFrom(statement));
  const done = new Promise<void>((resolve, reject) => {
    stream.on("finish", () => resolve());
    stream.on("error", reject);
  });
  let buffer = "";
  for (const row of rows) {
    buffer += row.map(copyValue).join("\t") + "\n";
    if (buffer.length > 1 << 16) {
      if (!stream.write(buffer)) await once(stream, "drain");
      buffer = "";
    }
  }
  stream.end(buffer);
  await done;
}
