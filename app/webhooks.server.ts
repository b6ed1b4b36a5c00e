import { enqueue, reviveJob } from "./jobs/client.server";
import { env } from "./env.server";
import {
  HMAC_HEADER,
  isShopDomain,
  isValidShopifyHmac,
  REQUIRED_HEADERS,
  shopNamedInPayload,
  TOPICS_NAMING_THEIR_SHOP,
} from "./domain/webhook-delivery";
import { logger } from "./logger.server";
import { recordWebhookDelivery, reopenWebhookEvent } from "./models/webhook-events.server";

/**
 * Every webhook route: verify Shopify's signature, record the delivery, enqueue its id, answer 200.
 * No Admin API calls, no session lookups and no business work here; the worker applies the event.
 *
 * Verification is ours rather than `authenticate.webhook`: that helper loads the shop's offline
 * session and refreshes an expiring token inside the request, and after an uninstall the refresh
 * can only fail, so app/uninstalled and shop/redact would answer 500 on every retry and be lost.
 *
 * Answers: 405 not POST; 401 missing or bad signature, or a signed body naming another shop than
 * the header; 400 a missing header, a topic that is not this route's, a body that is not JSON;
 * 503 when PostgreSQL or Redis cannot take the event (Shopify retries; nothing is acknowledged
 * that is not stored). A repeated delivery answers 200 without a second job.
 */
export async function receiveWebhook(request: Request, routeTopic: string): Promise<Response> {
  if (request.method !== "POST") return rejectNonPost();
  const signature = request.headers.get(HMAC_HEADER);
  if (!signature) return status(401);

  const rawBody = new Uint8Array(await request.arrayBuffer());
  if (!isValidShopifyHmac(rawBody, signature, env.SHOPIFY_API_SECRET)) return status(401);

  const header = (name: (typeof REQUIRED_HEADERS)[number]) => request.headers.get(name) ?? "";
  if (REQUIRED_HEADERS.some((name) => !header(name))) return status(400);
  const shopDomain = header("x-shopify-shop-domain").toLowerCase();
  if (header("x-shopify-topic") !== routeTopic || !isShopDomain(shopDomain, customDomains)) return status(400);

  const body = new TextDecoder().decode(rawBody);
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    return status(400);
  }
  if (TOPICS_NAMING_THEIR_SHOP.has(routeTopic) && shopNamedInPayload(routeTopic, payload) !== shopDomain) {
    return status(401);
  }

  try {
    const delivery = await recordWebhookDelivery({
      shopDomain,
      webhookId: header("x-shopify-webhook-id"),
      eventId: request.headers.get("x-shopify-event-id"),
      topic: routeTopic,
      apiVersion: header("x-shopify-api-version"),
      triggeredAt: parseTimestamp(request.headers.get("x-shopify-triggered-at")),
      body,
    });
    if (delivery.firstDelivery) {
      await enqueue("processWebhookEvent", { webhookEventId: delivery.id.toString() });
    } else if (!delivery.processed) {
      // Shopify sent it again before we applied it: its job may never have reached Redis, or may
      // have given up. Reopen the event and make sure a job runs (the job id makes this idempotent).
      await reopenWebhookEvent(delivery.id);
      await reviveJob("processWebhookEvent", { webhookEventId: delivery.id.toString() });
    }
    return status(200);
  } catch (error) {
    logger.error({ topic: routeTopic, err: error instanceof Error ? error.message : String(error) }, "webhook not stored or queued");
    return status(503);
  }
}

/** GET/HEAD on a webhook URI: Shopify only ever POSTs. */
export function rejectNonPost(): Response {
  return new Response(null, { status: 405, headers: { Allow: "POST" } });
}

const customDomains = env.SHOP_CUSTOM_DOMAIN ? [env.SHOP_CUSTOM_DOMAIN] : [];

function status(code: number): Response {
  return new Response(null, { status: code });
}

function parseTimestamp(value: string | null): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
