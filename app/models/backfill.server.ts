import type { Shop } from "@prisma/client";
import prisma, { execute } from "../db.server";
import { importBulkResult, type AfterBatch } from "./backfill/import.server";
import { nextPhase, PHASES, type BackfillPhase } from "./backfill/phases";
import { refreshCustomerAggregates } from "./customer-aggregates.server";
import { refreshProductAffinity } from "./recommendations.server";
import { scoreShop } from "./scoring.server";
import type { AdminQuery } from "./shopify-admin.server";

/**
 * The back-fill: customers, orders (with line items) and products read from Shopify with bulk
 * operations and streamed into PostgreSQL (one module per phase under `backfill/`), then
 * aggregates and scores computed.
 *
 * It is a state machine kept on the shop row, so any worker can continue it after a crash:
 *   idle|requested → running(customers → orders → products → scoring) → completed | failed
 * Each phase remembers its bulk operation and how many JSONL lines are committed (see
 * `backfill/import.server.ts`), so a restart resumes exactly after the last committed line.
 * Upserts are ordered by Shopify's updatedAt, so webhooks applied meanwhile are never rolled back.
 */

const POLL_MS = 2_000;

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

const ENDED_WITHOUT_RESULT = ["FAILED", "CANCELED", "CANCELING", "EXPIRED"];

export type BackfillStep = { state: "completed" | "not-requested" | "uninstalled" } | { state: "waiting"; waitMs: number };

export interface BackfillDeps {
  admin: AdminQuery;
  afterBatch?: AfterBatch;
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
    shop = await startRun(shopId);
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
    const step = await runPhase(shop, phase, deps);
    if (step) return step;
    shop = await prisma.shop.update({
      where: { id: shopId },
      data: { syncPhase: nextPhase(phase), syncBulkOperation: null, syncLinesDone: 0 },
    });
  }
}

async function startRun(shopId: number): Promise<Shop> {
  return prisma.shop.update({
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

/** One phase: its bulk operation started (once), awaited, and imported. Returns a step when the run must wait. */
async function runPhase(shop: Shop, phase: BackfillPhase, deps: BackfillDeps): Promise<BackfillStep | undefined> {
  let operationId = shop.syncBulkOperation;
  if (!operationId) {
    const started = await startBulkOperation(shop, phase, deps.admin);
    if (started.state === "waiting") return started;
    operationId = started.id;
  }
  const { bulkOperation } = await deps.admin(shop.domain, BULK_STATUS, { id: operationId });
  if (!bulkOperation || ENDED_WITHOUT_RESULT.includes(bulkOperation.status)) {
    // Start the phase over with a new bulk operation; the job's retries bound how often.
    const { counter } = PHASES[phase].target;
    await execute(`UPDATE shops SET sync_bulk_operation = NULL, sync_lines_done = 0, ${counter} = 0 WHERE id = $1`, [shop.id]);
    const errorCode = bulkOperation?.errorCode ? ` (${bulkOperation.errorCode})` : "";
    throw new Error(`bulk operation for ${phase} ended ${bulkOperation?.status ?? "missing"}${errorCode}`);
  }
  if (bulkOperation.status !== "COMPLETED") return { state: "waiting", waitMs: POLL_MS };

  // The lines already committed count only for the operation they were read from.
  const startLine = shop.syncBulkOperation ? shop.syncLinesDone : 0;
  if (bulkOperation.url) await importBulkResult(shop.id, phase, bulkOperation.url, { startLine, afterBatch: deps.afterBatch });
  await dropForgottenCustomers(shop.id);
  return undefined;
}

async function startBulkOperation(
  shop: Shop,
  phase: BackfillPhase,
  admin: AdminQuery,
): Promise<{ state: "started"; id: string } | { state: "waiting"; waitMs: number }> {
  const started = await admin(shop.domain, START_BULK_QUERY, { query: PHASES[phase].bulkQuery });
  const { bulkOperation, userErrors } = started.bulkOperationRunQuery ?? { bulkOperation: null, userErrors: [] };
  if (!bulkOperation) {
    // Another bulk query of this app is running for the shop (e.g. an older attempt): wait for it.
    if (userErrors.some((error) => error.code === "OPERATION_IN_PROGRESS")) return { state: "waiting", waitMs: POLL_MS };
    throw new Error(`bulk query for ${phase} refused: ${userErrors.map((error) => error.message).join("; ")}`);
  }
  await prisma.shop.update({ where: { id: shop.id }, data: { syncBulkOperation: bulkOperation.id, syncLinesDone: 0 } });
  return { state: "started", id: bulkOperation.id };
}

/** The last step of a back-fill: every customer's aggregates from the imported orders, scores, product pairs. */
export async function computeAggregatesAndScores(shopId: number): Promise<void> {
  await dropForgottenCustomers(shopId);
  // A large import leaves the planner without statistics; without them the set-based
  // statements below pick nested loops and take minutes instead of seconds.
  await execute("ANALYZE customers");
  await execute("ANALYZE orders");
  await refreshCustomerAggregates(shopId, "all");
  await scoreShop(shopId);
  await execute("ANALYZE products");
  await refreshProductAffinity(shopId);
  await execute("ANALYZE product_pairs");
}

/**
 * An export taken before a customer was deleted or redacted still lists them (and a redacted
 * customer's orders). Run after each phase and before scoring: a deletion that raced with a batch
 * is caught by the next run, and one that comes after the last run finds every row committed.
 */
async function dropForgottenCustomers(shopId: number): Promise<void> {
  await execute(`DELETE FROM customers c USING forgotten_customers f WHERE f.shop_id = $1 AND c.shop_id = $1 AND c.id = f.customer_id`, [
    shopId,
  ]);
  await execute(
    `DELETE FROM orders o USING forgotten_customers f WHERE f.shop_id = $1 AND o.shop_id = $1 AND o.customer_id = f.customer_id`,
    [shopId],
  );
}
