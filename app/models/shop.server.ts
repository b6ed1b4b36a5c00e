import type { Prisma } from "@prisma/client";
import { enqueue } from "../jobs/client.server";
import prisma, { execute, inTransaction, queryRow, queryRows, type Db } from "../db.server";
import { isStaleScopesUpdate, isStaleShopRedact, isStaleUninstall } from "../domain/shop-lifecycle";
import { formatPostalAddress, missingAddressParts, postalAddressSchema, type ShopDetails } from "../domain/shop-details";
import { logger } from "../logger.server";
import { requestBackfill } from "./backfill.server";
import { ensureReadyMadeCampaign } from "./campaigns.server";
import { getWebhookActivity, type WebhookActivity } from "./webhook-events.server";

/**
 * Records an authorization: a first install, a reinstall after an uninstall, or a new session
 * for an installed shop. Called from Shopify's afterAuth hook, so it must not fail the merchant's
 * sign-in when Redis is briefly away: the maintenance sweep picks up shops without details.
 */
export async function recordInstall(shopDomain: string): Promise<number> {
  const { id: shopId, needsBackfill } = (await queryRow<{ id: number; needsBackfill: boolean }>(
    `WITH before AS (SELECT uninstalled_at, synced_at FROM shops WHERE domain = $1)
     INSERT INTO shops (domain, installed_at, authorized_at, updated_at)
     VALUES ($1, now(), now(), now())
     ON CONFLICT (domain) DO UPDATE SET
       installed_at = CASE WHEN shops.uninstalled_at IS NULL THEN shops.installed_at ELSE now() END,
       authorized_at = now(),
       uninstalled_at = NULL,
       updated_at = now()
     RETURNING id, coalesce((SELECT uninstalled_at IS NOT NULL OR synced_at IS NULL FROM before), true) AS needs_backfill`,
    [shopDomain],
  ))!;
  await ensureReadyMadeCampaign(shopId);
  // An install or reinstall reads the shop's customers, orders and products (again). afterAuth also
  // runs when a new offline token is exchanged for an installed shop; that needs no new read.
  if (needsBackfill) await requestBackfill(shopId);
  try {
    await enqueue("syncShopDetails", { shopId });
    if (needsBackfill) await enqueue("backfillShop", { shopId });
  } catch (error) {
    logger.warn({ shopId, err: (error as Error).message }, "could not enqueue shop details and back-fill; the sweep will retry");
  }
  return shopId;
}

export async function shopIdForDomain(shopDomain: string): Promise<number | null> {
  const shop = await prisma.shop.findUnique({ where: { domain: shopDomain }, select: { id: true } });
  return shop?.id ?? null;
}

export async function findInstalledShop(shopId: number) {
  return prisma.shop.findFirst({ where: { id: shopId, uninstalledAt: null } });
}

export async function saveShopDetails(shopId: number, details: ShopDetails): Promise<void> {
  await prisma.shop.update({
    where: { id: shopId },
    data: {
      name: details.name,
      contactEmail: details.contactEmail,
      ianaTimezone: details.ianaTimezone,
      currencyCode: details.currencyCode,
      primaryDomainUrl: details.primaryDomainUrl,
      postalAddress: (details.postalAddress ?? undefined) as Prisma.InputJsonValue | undefined,
      detailsSyncedAt: new Date(),
    },
  });
}

/** Shop details older than this are read again from Shopify. */
export const SHOP_DETAILS_MAX_AGE = "24 hours";
/** A shop whose details could not be read is asked again no sooner than this. */
export const SHOP_DETAILS_RETRY_AFTER = "1 hour";

/**
 * Claims installed shops whose details are missing or stale and were not requested recently,
 * stamping the request in the same statement so concurrent sweeps never claim a shop twice and a
 * shop that cannot sync is retried hourly, not every minute.
 */
export async function claimShopsNeedingDetails(limit: number): Promise<number[]> {
  const rows = await queryRows<{ id: number }>(
    `UPDATE shops SET details_requested_at = now()
     WHERE id IN (
       SELECT id FROM shops
       WHERE uninstalled_at IS NULL
         AND (details_synced_at IS NULL OR details_synced_at < now() - $1::interval)
         AND (details_requested_at IS NULL OR details_requested_at < now() - $2::interval)
       ORDER BY id
       LIMIT $3
       FOR UPDATE SKIP LOCKED)
     RETURNING id`,
    [SHOP_DETAILS_MAX_AGE, SHOP_DETAILS_RETRY_AFTER, limit],
  );
  return rows.map((row) => row.id);
}

/** Reads the shop row under a lock (in the caller's transaction), so afterAuth (which upserts it) waits until this decision commits. */
async function lockShop(db: Db, shopDomain: string) {
  return (
    (await queryRow<{ authorizedAt: Date; uninstalledAt: Date | null; scopesUpdatedAt: Date | null }>(
      "SELECT authorized_at, uninstalled_at, scopes_updated_at FROM shops WHERE domain = $1 FOR UPDATE",
      [shopDomain],
      db,
    )) ?? null
  );
}

/**
 * app/uninstalled: the shop keeps its data for the grace period before shop/redact (48 h), but
 * its sessions are gone immediately (the token no longer works) and nothing more is done for it.
 * Returns false when the event belongs to an earlier install and was ignored.
 */
export async function recordUninstall(shopDomain: string, triggeredAt: Date): Promise<boolean> {
  return inTransaction(async (db) => {
    if (isStaleUninstall(await lockShop(db, shopDomain), triggeredAt)) return false;
    await execute(
      "UPDATE shops SET uninstalled_at = $2, updated_at = now() WHERE domain = $1 AND uninstalled_at IS NULL",
      [shopDomain, triggeredAt],
      db,
    );
    await execute("DELETE FROM sessions WHERE shop = $1", [shopDomain], db);
    return true;
  });
}

/** app/scopes_update: keep the stored offline session's scope in step with what was granted. */
export async function recordGrantedScopes(shopDomain: string, scopes: string[], triggeredAt: Date): Promise<boolean> {
  return inTransaction(async (db) => {
    if (isStaleScopesUpdate(await lockShop(db, shopDomain), triggeredAt)) return false;
    await execute("UPDATE sessions SET scope = $2 WHERE shop = $1", [shopDomain, scopes.join(",")], db);
    await execute("UPDATE shops SET scopes_updated_at = $2, updated_at = now() WHERE domain = $1", [shopDomain, triggeredAt], db);
    return true;
  });
}

/**
 * shop/redact: erase everything held for the shop, including its webhook records. Tenant tables
 * reference `shops` with ON DELETE CASCADE, so deleting the row removes their data too.
 * Returns false when the shop was authorized again after the uninstall this redaction follows.
 */
export async function eraseShop(shopDomain: string, triggeredAt: Date): Promise<boolean> {
  return inTransaction(async (db) => {
    if (isStaleShopRedact(await lockShop(db, shopDomain), triggeredAt)) return false;
    await execute("DELETE FROM sessions WHERE shop = $1", [shopDomain], db);
    await execute("DELETE FROM shops WHERE domain = $1", [shopDomain], db);
    await execute("DELETE FROM webhook_events WHERE shop_domain = $1", [shopDomain], db);
    return true;
  });
}

export interface ShopOverview {
  domain: string;
  name: string | null;
  contactEmail: string | null;
  ianaTimezone: string | null;
  currencyCode: string | null;
  installedAt: string;
  detailsSyncedAt: string | null;
  /** The postal address on one line, as e-mail footers will print it. */
  postalAddress: string | null;
  /** Address parts still missing before any e-mail may be sent. */
  missingAddress: string[];
  webhooks: WebhookActivity;
  sync: {
    state: string;
    phase: string | null;
    customersImported: number;
    ordersImported: number;
    productsImported: number;
    startedAt: string | null;
    syncedAt: string | null;
    scoredAt: string | null;
    error: string | null;
  };
}

/** The merchant asks to read everything from Shopify again (a no-op while a back-fill runs). */
export async function resyncShop(shopId: number): Promise<boolean> {
  if (!(await requestBackfill(shopId))) return false;
  await enqueue("backfillShop", { shopId });
  return true;
}

/** The merchant's first page: what we know about their shop and whether Shopify events flow. */
export async function getShopOverview(shopId: number, { now = new Date() }: { now?: Date } = {}): Promise<ShopOverview> {
  const shop = await prisma.shop.findUniqueOrThrow({ where: { id: shopId } });
  const parsedAddress = postalAddressSchema.nullable().safeParse(shop.postalAddress ?? null);
  const address = parsedAddress.success ? parsedAddress.data : null;
  return {
    domain: shop.domain,
    name: shop.name,
    contactEmail: shop.contactEmail,
    ianaTimezone: shop.ianaTimezone,
    currencyCode: shop.currencyCode,
    installedAt: shop.installedAt.toISOString(),
    detailsSyncedAt: shop.detailsSyncedAt?.toISOString() ?? null,
    postalAddress: address ? formatPostalAddress(address) || null : null,
    missingAddress: missingAddressParts(address),
    webhooks: await getWebhookActivity(shopId, { now }),
    sync: {
      state: shop.syncState,
      phase: shop.syncPhase,
      customersImported: shop.customersImported,
      ordersImported: shop.ordersImported,
      productsImported: shop.productsImported,
      startedAt: shop.syncStartedAt?.toISOString() ?? null,
      syncedAt: shop.syncedAt?.toISOString() ?? null,
      scoredAt: shop.scoredAt?.toISOString() ?? null,
      error: shop.syncError,
    },
  };
}
