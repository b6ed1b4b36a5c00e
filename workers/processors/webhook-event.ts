import { UnrecoverableError } from "bullmq";
import { z } from "zod";
import {
  findWebhookEvent,
  markWebhookEventProcessed,
  recordWebhookEventError,
} from "../../app/models/webhook-events.server";
import { eraseShop, recordGrantedScopes, recordUninstall } from "../../app/models/shop.server";
import type { JobPayload } from "../queues";

interface RecordedEvent {
  shopDomain: string;
  payload: unknown;
  /** When Shopify says the event happened (falls back to when we received it). */
  occurredAt: Date;
}

type TopicHandler = (event: RecordedEvent) => Promise<unknown>;

const scopesUpdatePayload = z.object({ current: z.array(z.string()) });

/**
 * Store-data topics: subscribed now so no event is missed, applied by customer intelligence
 * (customers, orders, consent, checkouts). Until a handler exists the delivery is kept as a
 * record only; the back-fill on install reads the same facts from the Admin API.
 */
const recordOnly: TopicHandler = async () => {};

/**
 * Compliance requests. Besides the shop row and sessions, the only customer data this app holds
 * today is the payload of unapplied webhooks, which is cleared as each is applied, so a
 * customer redaction or data request has nothing further to act on.
 */
const nothingHeldForCustomer: TopicHandler = async () => {};

/** Every topic in shopify.app.toml has an entry here (checked by a test). */
export const webhookHandlers: Record<string, TopicHandler> = {
  "app/uninstalled": ({ shopDomain, occurredAt }) => recordUninstall(shopDomain, occurredAt),
  "app/scopes_update": ({ shopDomain, payload }) =>
    recordGrantedScopes(shopDomain, scopesUpdatePayload.parse(payload).current),
  "shop/redact": ({ shopDomain, occurredAt }) => eraseShop(shopDomain, occurredAt),
  "customers/redact": nothingHeldForCustomer,
  "customers/data_request": nothingHeldForCustomer,
  "orders/create": recordOnly,
  "orders/updated": recordOnly,
  "orders/cancelled": recordOnly,
  "customers/create": recordOnly,
  "customers/update": recordOnly,
  "customers/delete": recordOnly,
  "customers_email_marketing_consent/update": recordOnly,
  "checkouts/create": recordOnly,
};

export type WebhookEventOutcome = "applied" | "already-processed" | "gone";

/**
 * Applies one recorded delivery. Safe to run more than once: a processed event is skipped and
 * every handler is idempotent on its own key, so a crash between the handler and the
 * "processed" mark only repeats a no-op.
 */
export async function processWebhookEvent(
  { webhookEventId }: JobPayload<"processWebhookEvent">,
): Promise<WebhookEventOutcome> {
  const id = BigInt(webhookEventId);
  const event = await findWebhookEvent(id);
  if (!event) return "gone"; // purged, or erased with its shop
  if (event.processedAt) return "already-processed";

  const handler = webhookHandlers[event.topic];
  if (!handler) {
    await recordWebhookEventError(id, `no handler for topic ${event.topic}`);
    throw new UnrecoverableError(`no handler for webhook topic ${event.topic}`);
  }
  try {
    await handler({
      shopDomain: event.shopDomain,
      payload: event.payload,
      occurredAt: event.triggeredAt ?? event.receivedAt,
    });
  } catch (error) {
    await recordWebhookEventError(id, describeError(error));
    throw error;
  }
  await markWebhookEventProcessed(id);
  return "applied";
}

/** Kept on the row for the merchant's page: the error class and a short message, never payload data. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return "unknown error";
  return `${error.name}: ${error.message.split("\n")[0]}`.slice(0, 300);
}
