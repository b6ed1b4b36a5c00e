import { enqueueMany, reviveJob } from "./jobs/client.server";
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
import { recordWebhookDeliveries, reopenWebhookEvent, type RecordedDelivery, type WebhookDelivery } from "./models/webhook-events.server";
import { groupCommit } from "./utils/group-commit";

/**
 * Every webhook delivery: verify Shopify's signature, record the delivery, enqueue its id, answer
 * 200. No Admin API calls, no session lookups and no business work here; the worker applies the
 * event. Two doors lead here with the same code: the web process answers `POST /webhooks/*` itself
 * before Remix (app/server/http-server.ts), and the route files `app/routes/webhooks.*.tsx` (each
 * declaring its `webhookTopic`) serve the same URIs under Remix's own dev server.
 *
 * Verification is ours rather than `authenticate.webhook`: that helper loads the shop's offline
 * session and refreshes an expiring token inside the request, and after an uninstall the refresh
 * can only fail, so app/uninstalled and shop/redact would answer 500 on every retry and be lost.
 *
 * Answers: 405 not POST; 401 missing or bad signature, or a signed body naming another shop than
 * the header; 400 a missing header, a topic that is not this route's, a body that is not JSON;
 * 503 when PostgreSQL or Redis cannot take the event (Shopify retries; nothing is acknowledged
 * that is not stored and queued). A repeated delivery answers 200 without a second job.
 */

/** A delivery as either door received it. */
export interface IncomingWebhook {
  method: string;
  header(name: string): string | null;
  body(): Promise<Uint8Array>;
}

export async function receiveWebhook(incoming: IncomingWebhook, routeTopic: string): Promise<number> {
  if (incoming.method !== "POST") return 405;
  const signature = incoming.header(HMAC_HEADER);
  if (!signature) return 401;

  const rawBody = await incoming.body();
  if (!isValidShopifyHmac(rawBody, signature, env.SHOPIFY_API_SECRET)) return 401;

  const header = (name: (typeof REQUIRED_HEADERS)[number]) => incoming.header(name) ?? "";
  if (REQUIRED_HEADERS.some((name) => !header(name))) return 400;
  const shopDomain = header("x-shopify-shop-domain").toLowerCase();
  if (header("x-shopify-topic") !== routeTopic || !isShopDomain(shopDomain, customDomains)) return 400;

  const body = utf8.decode(rawBody);
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    return 400;
  }
  if (TOPICS_NAMING_THEIR_SHOP.has(routeTopic) && shopNamedInPayload(routeTopic, payload) !== shopDomain) return 401;

  try {
    const delivery = await recordAndQueue({
      shopDomain,
      webhookId: header("x-shopify-webhook-id"),
      eventId: incoming.header("x-shopify-event-id"),
      topic: routeTopic,
      apiVersion: header("x-shopify-api-version"),
      triggeredAt: parseTimestamp(incoming.header("x-shopify-triggered-at")),
      body,
    });
    if (!delivery.firstDelivery && !delivery.processed) {
      // Shopify sent it again before we applied it: its job may never have reached Redis, or may
      // have given up. Reopen the event and make sure a job runs (the job id makes this idempotent).
      await reopenWebhookEvent(delivery.id);
      await reviveJob("processWebhookEvent", { webhookEventId: delivery.id.toString() });
    }
    return 200;
  } catch (error) {
    logger.error({ topic: routeTopic, err: error instanceof Error ? error.message : String(error) }, "webhook not stored or queued");
    return 503;
  }
}

/**
 * Group commit: deliveries arriving together are recorded in one statement and their jobs queued
 * in one Redis round trip; each request is answered only after both (a failure answers 503 to all).
 */
const recordAndQueue = groupCommit<WebhookDelivery, RecordedDelivery>(
  async (deliveries) => {
    const recorded = await recordWebhookDeliveries(deliveries);
    const firsts = recorded.filter((delivery) => delivery.firstDelivery);
    await enqueueMany(
      "processWebhookEvent",
      firsts.map((delivery) => ({ webhookEventId: delivery.id.toString() })),
    );
    return recorded;
  },
  { maxBatch: 200, maxInFlight: 4 },
);

/** The Remix route of a webhook URI: the same door, for `remix vite:dev` and for anything reaching Remix. */
export function webhookAction(topic: string) {
  return async ({ request }: { request: Request }) => {
    const incoming: IncomingWebhook = {
      method: request.method,
      header: (name) => request.headers.get(name),
      body: async () => new Uint8Array(await request.arrayBuffer()),
    };
    const status = await receiveWebhook(incoming, topic);
    return status === 405 ? rejectNonPost() : new Response(null, { status });
  };
}

/** GET/HEAD on a webhook URI: Shopify only ever POSTs. */
export function rejectNonPost(): Response {
  return new Response(null, { status: 405, headers: { Allow: "POST" } });
}

const customDomains = env.SHOP_CUSTOM_DOMAIN ? [env.SHOP_CUSTOM_DOMAIN] : [];
const utf8 = new TextDecoder();

function parseTimestamp(value: string | null): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
