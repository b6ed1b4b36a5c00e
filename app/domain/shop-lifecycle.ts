/**
 * Shopify delivers webhooks late, repeated and out of order. These rules decide whether an
 * uninstall or a shop redaction still applies to the shop as it is now.
 */

/** Shopify sends shop/redact this long after the uninstall it follows. */
export const SHOP_REDACT_DELAY_MS = 48 * 3600 * 1000;

export interface InstallState {
  installedAt: Date;
  uninstalledAt: Date | null;
}

/** An app/uninstalled triggered before the current install began belongs to an earlier install. */
export function isStaleUninstall(shop: InstallState | null, triggeredAt: Date): boolean {
  return shop !== null && shop.installedAt.getTime() > triggeredAt.getTime();
}

/**
 * A shop/redact is stale when the shop is installed again and that install began after the
 * uninstall the redaction follows. A shop still marked installed long before (its uninstall
 * webhook lost) is redacted: Shopify's request wins.
 */
export function isStaleShopRedact(shop: InstallState | null, triggeredAt: Date): boolean {
  if (shop === null || shop.uninstalledAt !== null) return false;
  return shop.installedAt.getTime() > triggeredAt.getTime() - SHOP_REDACT_DELAY_MS;
}
