import { enqueue } from "../workers/queues";
import { logger } from "./logger.server";
import { recordWebhookDelivery } from "./models/webhook-events.server";
import { authenticate } from "./shopify.server";

/**
 * Every webhook route: verify Shopify's HMAC, record the delivery, enqueue its id, answer 200.
 * No Admin API calls and no business work here; the worker applies the event.
 *
 * Answers: 405 not POST, 401 missing or bad HMAC, 400 other missing headers or a body that is not JSON,
 * 503 when PostgreSQL or Redis cannot take the event (Shopify retries; nothing is acknowledged
 * that is not stored). A repeated delivery answers 200 without a second job.
 */
export async function receiveWebhook(request: Request): Promise<Response> {
  // Unsigned is unauthenticated (401), whatever else is missing; the library would say 400.
  if (request.method === "POST" && !request.headers.get("x-shopify-hmac-sha256")) {
    return new Response(null, { status: 401 });
  }
  let context: Awaited<ReturnType<typeof authenticate.webhook>>;
  try {
    context = await authenticate.webhook(request);
  } catch (error) {
    if (error instanceof Response) return error;
    // The library parses the body after checking the HMAC; a signed body that is not JSON lands here.
    if (error instanceof SyntaxError) return new Response(null, { status: 400 });
    return unavailable(error, "webhook authentication failed");
  }

  try {
    const delivery = await recordWebhookDelivery({
      shopDomain: context.shop,
      webhookId: context.webhookId,
      eventId: context.eventId ?? null,
      // Stored as Shopify spells it in the toml and the header ("orders/create"), not APP_UNINSTALLED.
      topic: request.headers.get("x-shopify-topic") ?? String(context.topic),
      apiVersion: context.apiVersion ?? null,
      triggeredAt: parseTimestamp(context.triggeredAt),
      payload: context.payload,
    });
    // A repeat of an event that is not yet applied may mean its job never reached Redis; the
    // deterministic job id makes re-adding it harmless when it did.
    if (delivery.firstDelivery || !delivery.processed) {
      await enqueue("processWebhookEvent", { webhookEventId: delivery.id.toString() });
    }
    return new Response(null, { status: 200 });
  } catch (error) {
    return unavailable(error, "webhook could not be stored or queued");
  }
}

function unavailable(error: unknown, message: string): Response {
  logger.error({ err: error instanceof Error ? error.message : String(error) }, message);
  return new Response(null, { status: 503 });
}

function parseTimestamp(value: string | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** GET/HEAD on a webhook URI: Shopify only ever POSTs. */
export function rejectNonPost(): Response {
  return new Response(null, { status: 405, headers: { Allow: "POST" } });
}
