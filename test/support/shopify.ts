import { randomUUID } from "node:crypto";
import {
  API_KEY,
  API_SECRET_KEY,
  getHmac,
  getJwt,
  RequestType,
  setUpValidRequest,
  setUpValidSession,
} from "@shopify/shopify-api/test-helpers";
import { TEST_APP_URL } from "./test-env";

/**
 * Requests as Shopify sends them: webhooks signed with the app secret (real HMAC-SHA256), and
 * Admin requests carrying a session token signed like App Bridge's. Built on Shopify's own test
 * helpers (PLATFORM.md).
 */

export const API_VERSION = "2026-10";

export function shopDomain(name: string): string {
  return `${name}.myshopify.com`;
}

export interface WebhookOptions {
  topic: string;
  shop: string;
  payload?: unknown;
  /** A raw body instead of JSON.stringify(payload). */
  rawBody?: string;
  webhookId?: string;
  eventId?: string;
  triggeredAt?: string;
  /** Signature to send instead of the valid one. */
  hmac?: string;
  omitHeaders?: string[];
  method?: string;
}

export function webhookHeaders(options: WebhookOptions, body: string): Record<string, string> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-shopify-topic": options.topic,
    "x-shopify-shop-domain": options.shop,
    "x-shopify-api-version": API_VERSION,
    "x-shopify-webhook-id": options.webhookId ?? randomUUID(),
    "x-shopify-event-id": options.eventId ?? randomUUID(),
    "x-shopify-triggered-at": options.triggeredAt ?? new Date().toISOString(),
    "x-shopify-hmac-sha256": options.hmac ?? getHmac(body, API_SECRET_KEY),
  };
  for (const name of options.omitHeaders ?? []) delete headers[name];
  return headers;
}

export function webhookRequest(options: WebhookOptions, baseUrl = TEST_APP_URL): Request {
  const body = options.rawBody ?? JSON.stringify(options.payload ?? {});
  const method = options.method ?? "POST";
  return new Request(`${baseUrl}/webhooks/${options.topic}`, {
    method,
    headers: webhookHeaders(options, body),
    body: method === "GET" || method === "HEAD" ? undefined : body,
  });
}

/** An offline session as token exchange would have stored it, with the app's full scopes. */
export function offlineSession(shop: string, scope: string) {
  return setUpValidSession({ shop, scope, isOnline: false });
}

/** Admin's `host` parameter: base64 of admin.shopify.com/store/<name>. */
export function hostParam(shopName: string): string {
  return Buffer.from(`admin.shopify.com/store/${shopName}`).toString("base64");
}

/** A session token like the one App Bridge's `shopify.idToken()` returns: signed with the app secret, valid for one minute. */
export async function sessionToken(shopName: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const { token } = await getJwt(shopName, API_KEY, API_SECRET_KEY, { iat: now, nbf: now, exp: now + 60 });
  return token;
}

/** A document request from Shopify Admin: embedded=1, shop, host and a signed id_token. */
export async function adminDocumentRequest(shopName: string, path: string, baseUrl = TEST_APP_URL): Promise<Request> {
  return setUpValidRequest(
    { type: RequestType.Admin, store: shopName, apiKey: API_KEY, apiSecretKey: API_SECRET_KEY },
    new Request(`${baseUrl}${path}`),
  );
}

/** A fetch from the embedded app: session token in the Authorization header. */
export async function adminBearerRequest(shopName: string, path: string, baseUrl = TEST_APP_URL, init?: RequestInit): Promise<Request> {
  return setUpValidRequest(
    { type: RequestType.Bearer, store: shopName, apiKey: API_KEY, apiSecretKey: API_SECRET_KEY },
    new Request(`${baseUrl}${path}`, init),
  );
}

/** A session token signed with the wrong secret, or for another app (wrong audience), or expired. */
export async function forgedBearerRequest(
  shopName: string,
  path: string,
  kind: "wrong-secret" | "wrong-audience" | "expired",
  baseUrl = TEST_APP_URL,
): Promise<Request> {
  const now = Date.now() / 1000;
  const { token } = await getJwt(
    shopName,
    kind === "wrong-audience" ? "another-app" : API_KEY,
    kind === "wrong-secret" ? "not-the-app-secret" : API_SECRET_KEY,
    kind === "expired" ? { exp: now - 600, nbf: now - 7200, iat: now - 7200 } : {},
  );
  return new Request(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
}
