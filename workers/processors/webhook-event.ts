import { UnrecoverableError, type Job } from "bullmq";
import { z } from "zod";
import { parseCustomerRedaction, webhookBodyConcerns } from "../../app/domain/redaction";
import { eraseShop, recordGrantedScopes, recordUninstall } from "../../app/models/shop.server";
import {
  findWebhookEvent,
  markWebhookEventFailed,
  markWebhookEventProcessed,
  recordWebhookEventError,
  redactPendingWebhookEvents,
} from "../../app/models/webhook-events.server";
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
 * Store-data topics, subscribed now so that no event goes missing. Customer intelligence will
 * apply them (customers, orders, consent, checkouts). Until then each delivery is acknowledged and
 * its body discarded: the back-fill on install reads the same facts from the Admin API.
 */
const acknowledgeOnly: TopicHandler = async () => {};

/** Every topic in shopify.app.toml has an entry here (checked by a test). */
export const webhookHandlers: Record<string, TopicHandler> = {
  "app/uninstalled": ({ shopDomain, occurredAt }) => recordUninstall(shopDomain, occurredAt),
  "app/scopes_update": ({ shopDomain, payload, occurredAt }) =>
    recordGrantedScopes(shopDomain, scopesUpdatePayload.parse(payload).current, occurredAt),
  "shop/redact": ({ shopDomain, occurredAt }) => eraseShop(shopDomain, occurredAt),
  // The only customer data held so far is the body of webhooks not yet applied.
  "customers/redact": async ({ shopDomain, payload }) => {
    const redaction = parseCustomerRedaction(payload);
    if (!redaction) throw new UnrecoverableError("customers/redact without a customer id");
    return redactPendingWebhookEvents(shopDomain, (body) => webhookBodyConcerns(body, redaction));
  },
  // Nothing is held about a customer beyond short-lived webhook bodies, so there is nothing to report.
  "customers/data_request": acknowledgeOnly,
  "orders/create": acknowledgeOnly,
  "orders/updated": acknowledgeOnly,
  "orders/cancelled": acknowledgeOnly,
  "customers/create": acknowledgeOnly,
  "customers/update": acknowledgeOnly,
  "customers/delete": acknowledgeOnly,
  "customers_email_marketing_consent/update": acknowledgeOnly,
  "checkouts/create": acknowledgeOnly,
};

export type WebhookEventOutcome = "applied" | "already-processed" | "gone";

/** Where this run stands among the job's attempts (BullMQ counts the failed ones before it). */
export type Attempt = Pick<Job, "attemptsMade" | "opts">;

/**
 * Applies one recorded delivery. Safe to run more than once: a processed event is skipped and
 * every handler is idempotent on its own key, so a crash between the handler and the
 * "processed" mark only repeats a no-op.
 */
export async function processWebhookEvent(
  { webhookEventId }: JobPayload<"processWebhookEvent">,
  attempt: Attempt = { attemptsMade: 0, opts: { attempts: 1 } },
): Promise<WebhookEventOutcome> {
  const id = BigInt(webhookEventId);
  const event = await findWebhookEvent(id);
  if (!event) return "gone"; // purged, or erased with its shop
  if (event.processedAt) return "already-processed";

  try {
    const handler = webhookHandlers[event.topic];
    if (!handler) throw new UnrecoverableError(`no handler for webhook topic ${event.topic}`);
    await handler({
      shopDomain: event.shopDomain,
      payload: event.payload === null ? null : JSON.parse(event.payload),
      occurredAt: event.triggeredAt ?? event.receivedAt,
    });
  } catch (error) {
    const lastAttempt = error instanceof UnrecoverableError || attempt.attemptsMade + 1 >= (attempt.opts.attempts ?? 1);
    await (lastAttempt ? markWebhookEventFailed : recordWebhookEventError)(id, describeError(error));
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
