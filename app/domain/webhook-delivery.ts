import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * What makes a webhook delivery acceptable, as Shopify documents it: an HMAC-SHA256 of the raw
 * body with the app's secret (base64, in X-Shopify-Hmac-Sha256) and the X-Shopify-* headers.
 * Only the body is signed, so headers that steer destructive work are checked against it.
 */

export const HMAC_HEADER = "x-shopify-hmac-sha256";
export const REQUIRED_HEADERS = ["x-shopify-topic", "x-shopify-shop-domain", "x-shopify-api-version", "x-shopify-webhook-id"] as const;

export function isValidShopifyHmac(rawBody: Uint8Array, signature: string, secret: string): boolean {
  const expected = createHmac("sha256", secret).update(rawBody).digest();
  const given = Buffer.from(signature, "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const MYSHOPIFY_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

export function isShopDomain(value: string, customDomains: readonly string[] = []): boolean {
  const domain = value.toLowerCase();
  return MYSHOPIFY_DOMAIN.test(domain) || customDomains.some((custom) => domain.endsWith(`.${custom}`));
}

/**
 * The shop a signed body names, for the topics whose body carries it: the compliance topics
 * (`shop_domain`) and app/uninstalled (the Shop resource). A replayed body with another shop's
 * domain in the unsigned header must not erase or uninstall that shop.
 */
export function shopNamedInPayload(topic: string, payload: unknown): string | undefined {
  if (typeof payload !== "object" || payload === null) return undefined;
  const body = payload as Record<string, unknown>;
  const field =
    topic === "app/uninstalled"
      ? body.myshopify_domain
      : topic === "shop/redact" || topic === "customers/redact" || topic === "customers/data_request"
        ? body.shop_domain
        : undefined;
  return typeof field === "string" ? field.toLowerCase() : undefined;
}

/** Topics whose body must name the shop (see shopNamedInPayload). */
export const TOPICS_NAMING_THEIR_SHOP = new Set(["app/uninstalled", "shop/redact", "customers/redact", "customers/data_request"]);
