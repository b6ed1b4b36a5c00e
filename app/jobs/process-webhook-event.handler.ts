import { UnrecoverableError } from "bullmq";
import { z, ZodError } from "zod";
import { parseCustomerRedaction, webhookBodyConcerns } from "../domain/redaction";
import {
  checkoutPayloadSchema,
  consentPayloadSchema,
  customerDeletePayloadSchema,
  customerPayloadSchema,
  dataRequestPayloadSchema,
  orderPayloadSchema,
} from "../domain/webhook-payloads";
import { exportCustomerData, redactCustomer } from "../models/compliance.server";
import { applyConsent, deleteCustomer, recordCheckout, upsertCustomer, upsertOrder } from "../models/live-sync.server";
import { eraseShop, recordGrantedScopes, recordUninstall, shopIdForDomain } from "../models/shop.server";
import {
  findWebhookEvent,
  markWebhookEventFailed,
  markWebhookEventProcessed,
  recordWebhookEventError,
  redactPendingWebhookEvents,
} from "../models/webhook-events.server";
import { isLastAttempt, type Attempt } from "./attempts";
import type { ProcessWebhookEventPayload } from "./process-webhook-event";

interface RecordedEvent {
  shopDomain: string;
  payload: unknown;
  /** When Shopify says the event happened (falls back to when we received it). */
  occurredAt: Date;
}

type TopicHandler = (event: RecordedEvent) => Promise<unknown>;

const scopesUpdatePayload = z.object({ current: z.array(z.string()) });

/** A handler for the shop's data: runs only for a shop we hold (an unknown shop's event is dropped). */
const forShop =
  (apply: (shopId: number, event: RecordedEvent) => Promise<unknown>): TopicHandler =>
  async (event) => {
    const shopId = await shopIdForDomain(event.shopDomain);
    return shopId === null ? "unknown shop" : apply(shopId, event);
  };

const applyOrder = forShop((shopId, { payload }) => upsertOrder(shopId, orderPayloadSchema.parse(payload)));
const applyCustomer = forShop((shopId, { payload }) => upsertCustomer(shopId, customerPayloadSchema.parse(payload)));

/** Every topic in shopify.app.toml has an entry here (checked by a test). */
export const webhookHandlers: Record<string, TopicHandler> = {
  "app/uninstalled": ({ shopDomain, occurredAt }) => recordUninstall(shopDomain, occurredAt),
  "app/scopes_update": ({ shopDomain, payload, occurredAt }) =>
    recordGrantedScopes(shopDomain, scopesUpdatePayload.parse(payload).current, occurredAt),
  "shop/redact": ({ shopDomain, occurredAt }) => eraseShop(shopDomain, occurredAt),
  "customers/redact": async (event) => {
    const redaction = parseCustomerRedaction(event.payload);
    if (!redaction) throw new UnrecoverableError("customers/redact without a customer id");
    await redactPendingWebhookEvents(event.shopDomain, (body) => webhookBodyConcerns(body, redaction));
    return forShop((shopId) => redactCustomer(shopId, redaction.customerId, redaction.orderIds))(event);
  },
  "customers/data_request": forShop((shopId, { payload, occurredAt }) => {
    const request = dataRequestPayloadSchema.parse(payload);
    return exportCustomerData(shopId, request.customer.id, {
      id: request.data_request.id,
      requestedAt: occurredAt,
      orderIds: request.orders_requested,
    });
  }),
  "orders/create": applyOrder,
  "orders/updated": applyOrder,
  "orders/cancelled": applyOrder,
  "customers/create": applyCustomer,
  "customers/update": applyCustomer,
  "customers/delete": forShop((shopId, { payload }) => deleteCustomer(shopId, customerDeletePayloadSchema.parse(payload).id)),
  "customers_email_marketing_consent/update": forShop((shopId, { payload, occurredAt }) => {
    const { customer_id, email_marketing_consent } = consentPayloadSchema.parse(payload);
    const changedAt = email_marketing_consent.consent_updated_at ? new Date(email_marketing_consent.consent_updated_at) : occurredAt;
    return applyConsent(shopId, customer_id, email_marketing_consent.state, changedAt);
  }),
  "checkouts/create": forShop(async (shopId, { payload }) => {
    const checkout = checkoutPayloadSchema.parse(payload);
    if (checkout.customer) await recordCheckout(shopId, checkout.customer.id, new Date(checkout.created_at));
  }),
};

export type WebhookEventOutcome = "applied" | "already-processed" | "gone";

/**
 * Applies one recorded delivery. Safe to run more than once: a processed event is skipped and
 * every handler is idempotent on its own key, so a crash between the handler and the
 * "processed" mark only repeats a no-op.
 */
export async function run(
  { webhookEventId }: ProcessWebhookEventPayload,
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
    // A body that does not have the shape Shopify documents will not get better with retries.
    const unrecoverable = error instanceof UnrecoverableError || error instanceof ZodError;
    const lastAttempt = unrecoverable || isLastAttempt(attempt);
    await (lastAttempt ? markWebhookEventFailed : recordWebhookEventError)(id, describeError(error));
    throw error instanceof ZodError ? new UnrecoverableError(describeError(error)) : error;
  }
  await markWebhookEventProcessed(id);
  return "applied";
}

/** Kept on the row for the merchant's page: the error class and a short message, never payload data. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return "unknown error";
  return `${error.name}: ${error.message.split("\n")[0]}`.slice(0, 300);
}
