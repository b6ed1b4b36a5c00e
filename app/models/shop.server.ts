import type { Prisma } from "@prisma/client";
import { enqueue } from "../../workers/queues";
import prisma from "../db.server";
import { isStaleShopRedact, isStaleUninstall } from "../domain/shop-lifecycle";
import { formatPostalAddress, missingAddressParts, postalAddressSchema, type ShopDetails } from "../domain/shop-details";
import { logger } from "../logger.server";
import { getWebhookActivity, type WebhookActivity } from "./webhook-events.server";

/** Shop details older than this are read again from Shopify by the maintenance sweep. */
export const SHOP_DETAILS_MAX_AGE_MS = 24 * 3600 * 1000;

/**
 * Records an install (or a reinstall after an uninstall) and asks the worker to read the shop's
 * details from Shopify. Called from Shopify's afterAuth hook, so it must not fail the merchant's
 * sign-in when Redis is briefly away: the maintenance sweep picks up shops without details.
 */
export async function recordInstall(shopDomain: string): Promise<number> {
  const rows = await prisma.$queryRaw<{ id: number }[]>`
    INSERT INTO shops (domain, installed_at, updated_at)
    VALUES (${shopDomain}, now(), now())
    ON CONFLICT (domain) DO UPDATE SET
      installed_at = CASE WHEN shops.uninstalled_at IS NULL THEN shops.installed_at ELSE now() END,
      uninstalled_at = NULL,
      updated_at = now()
    RETURNING id`;
  const shopId = rows[0]!.id;
  try {
    await enqueue("syncShopDetails", { shopId });
  } catch (error) {
    logger.warn({ shopId, err: (error as Error).message }, "could not enqueue shop details; the sweep will retry");
  }
  return shopId;
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
      postalAddress: (details.postalAddress ?? undefined) as Prisma.InputJsonValue | undefined,
      detailsSyncedAt: new Date(),
    },
  });
}

/** Installed shops whose details were never read or are older than the maximum age. */
export async function findShopsNeedingDetails(limit: number): Promise<number[]> {
  const staleBefore = new Date(Date.now() - SHOP_DETAILS_MAX_AGE_MS);
  const rows = await prisma.shop.findMany({
    where: { uninstalledAt: null, OR: [{ detailsSyncedAt: null }, { detailsSyncedAt: { lt: staleBefore } }] },
    select: { id: true },
    orderBy: { id: "asc" },
    take: limit,
  });
  return rows.map((row) => row.id);
}

/**
 * app/uninstalled: the shop keeps its data for the grace period before shop/redact (48 h), but
 * its sessions are gone immediately (the token no longer works) and nothing more is done for it.
 * Returns false when the event is older than the current install (a late delivery) and was ignored.
 */
export async function recordUninstall(shopDomain: string, triggeredAt: Date): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const shop = await tx.shop.findUnique({ where: { domain: shopDomain } });
    if (isStaleUninstall(shop, triggeredAt)) return false;
    await tx.shop.updateMany({ where: { domain: shopDomain, uninstalledAt: null }, data: { uninstalledAt: triggeredAt } });
    await tx.session.deleteMany({ where: { shop: shopDomain } });
    return true;
  });
}

/** app/scopes_update: keep the stored offline session's scope in step with what was granted. */
export async function recordGrantedScopes(shopDomain: string, scopes: string[]): Promise<void> {
  await prisma.session.updateMany({ where: { shop: shopDomain }, data: { scope: scopes.join(",") } });
}

/**
 * shop/redact: erase everything held for the shop, including its webhook records. Tenant tables
 * reference `shops` with ON DELETE CASCADE, so deleting the row removes their data too.
 * Returns false when the shop installed again after the uninstall this redaction follows.
 */
export async function eraseShop(shopDomain: string, triggeredAt: Date): Promise<boolean> {
  const shop = await prisma.shop.findUnique({ where: { domain: shopDomain } });
  if (isStaleShopRedact(shop, triggeredAt)) return false;
  await prisma.$transaction([
    prisma.session.deleteMany({ where: { shop: shopDomain } }),
    prisma.shop.deleteMany({ where: { domain: shopDomain } }),
    prisma.webhookEvent.deleteMany({ where: { shopDomain } }),
  ]);
  return true;
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
}

/** The merchant's first page: what we know about their shop and whether Shopify events flow. */
export async function getShopOverview(shopDomain: string): Promise<ShopOverview> {
  let shop = await prisma.shop.findUnique({ where: { domain: shopDomain } });
  if (!shop) {
    // A valid session without a shop row means afterAuth stopped half-way; complete it now.
    await recordInstall(shopDomain);
    shop = await prisma.shop.findUniqueOrThrow({ where: { domain: shopDomain } });
  }
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
    webhooks: await getWebhookActivity(shopDomain),
  };
}
