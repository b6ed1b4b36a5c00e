/**
 * Shopify delivers webhooks late, repeated and out of order. These rules decide whether an
 * uninstall, a shop redaction or a scopes change still applies to the shop as it is now.
 *
 * The anchor is `authorizedAt`, the last time Shopify's auth flow created a session for the shop
 * (afterAuth). After an uninstall no session can be created until the merchant installs again,
 * so anything Shopify says happened before `authorizedAt` belongs to an earlier install.
 */

/** Shopify sends shop/redact this long after the uninstall it follows. */
export const SHOP_REDACT_DELAY_MS = 48 * 3600 * 1000;

export interface InstallState {
  authorizedAt: Date;
  uninstalledAt: Date | null;
}

/** An app/uninstalled from before the shop's latest authorization belongs to an earlier install. */
export function isStaleUninstall(shop: InstallState | null, triggeredAt: Date): boolean {
  return shop !== null && shop.authorizedAt.getTime() > triggeredAt.getTime();
}

/**
 * A shop/redact is stale when the shop is installed and was authorized after the uninstall the
 * redaction follows. A shop still marked installed but not authorized since (its uninstall
 * webhook lost) is redacted: Shopify's request wins.
 */
export function isStaleShopRedact(shop: InstallState | null, triggeredAt: Date): boolean {
  if (shop === null || shop.uninstalledAt !== null) return false;
  return shop.authorizedAt.getTime() > triggeredAt.getTime() - SHOP_REDACT_DELAY_MS;
}

/** An app/scopes_update older than the last one applied must not roll the scopes back. */
export function isStaleScopesUpdate(shop: { scopesUpdatedAt: Date | null } | null, triggeredAt: Date): boolean {
  return shop?.scopesUpdatedAt != null && shop.scopesUpdatedAt.getTime() > triggeredAt.getTime();
}
