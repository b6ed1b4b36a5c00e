import { execute, queryRow, type Db } from "../db.server";
import { refundedAmount, type CustomerPayload, type OrderPayload } from "../domain/webhook-payloads";
import { exitEnrollments, settleOrders, stopSends } from "./conversions.server";
import { refreshCustomerAggregates } from "./customer-aggregates.server";

/**
 * Applying Shopify's webhooks to our copy of the shop. Every write is idempotent and ordered by
 * Shopify's own timestamps: an older `updated_at` (or consent time) never overwrites newer state,
 * so duplicates and late deliveries change nothing. Orders are keyed by Shopify's id, so an order
 * counts once however often it arrives; customer aggregates are recomputed from `orders` after.
 */

const at = (value: string | null | undefined) => (value ? new Date(value) : null);

/** Appended to an INSERT … SELECT: never re-creates a customer deleted or redacted in this shop ($1, $2). */
const NOT_FORGOTTEN = "WHERE NOT EXISTS (SELECT 1 FROM forgotten_customers f WHERE f.shop_id = $1 AND f.customer_id = $2)";

/**
 * A customer from customers/create|update or embedded in an order. Consent is taken only when we
 * do not know it yet: since 2025-01 it is authoritative only in the consent topic.
 */
export async function upsertCustomer(shopId: number, customer: CustomerPayload): Promise<void> {
  const consent = customer.email_marketing_consent;
  await execute(
    `INSERT INTO customers (shop_id, id, email, first_name, last_name, locale, email_marketing_state,
                            email_marketing_updated_at, shopify_updated_at, order_hours)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8::timestamptz, $9::timestamptz, '{}' ${NOT_FORGOTTEN}
     ON CONFLICT (shop_id, id) DO UPDATE SET
       email = EXCLUDED.email,
       first_name = EXCLUDED.first_name,
       last_name = EXCLUDED.last_name,
       locale = coalesce(EXCLUDED.locale, customers.locale),
       email_marketing_state = coalesce(customers.email_marketing_state, EXCLUDED.email_marketing_state),
       email_marketing_updated_at = coalesce(customers.email_marketing_updated_at, EXCLUDED.email_marketing_updated_at),
       shopify_updated_at = EXCLUDED.shopify_updated_at,
       updated_at = now()
     WHERE customers.shopify_updated_at IS NULL OR customers.shopify_updated_at <= EXCLUDED.shopify_updated_at`,
    [
      shopId,
      customer.id,
      customer.email ?? null,
      customer.first_name ?? null,
      customer.last_name ?? null,
      customer.locale ?? null,
      consent?.state ?? null,
      at(consent?.consent_updated_at),
      at(customer.updated_at),
    ],
  );
}

/** customers_email_marketing_consent/update: newer consent wins, by Shopify's consent time. */
export async function applyConsent(shopId: number, customerId: number, state: string, changedAt: Date): Promise<void> {
  const changed = await execute(
    `INSERT INTO customers (shop_id, id, email_marketing_state, email_marketing_updated_at, order_hours)
     SELECT $1, $2, $3, $4::timestamptz, '{}' ${NOT_FORGOTTEN}
     ON CONFLICT (shop_id, id) DO UPDATE SET
       email_marketing_state = EXCLUDED.email_marketing_state,
       email_marketing_updated_at = EXCLUDED.email_marketing_updated_at,
       updated_at = now()
     WHERE customers.email_marketing_updated_at IS NULL OR customers.email_marketing_updated_at <= EXCLUDED.email_marketing_updated_at`,
    [shopId, customerId, state, changedAt],
  );
  // Only a consent change that took effect (not an older event arriving late) ends their e-mails.
  if (changed > 0 && state !== "SUBSCRIBED") await exitEnrollments(shopId, [BigInt(customerId)], "unsubscribed", { includeHoldout: false });
}

/**
 * orders/create|updated|cancelled: the order (newest version wins), its customer, then the
 * aggregates of its customer, and of its previous customer when the order moved to another one.
 */
export async function upsertOrder(shopId: number, order: OrderPayload): Promise<void> {
  if (order.customer) await upsertCustomer(shopId, order.customer);
  const productIds = [...new Set(order.line_items.flatMap((item) => (item.product_id ? [item.product_id] : [])))];
  // No row: an older version, nothing changed.
  const upserted = await queryRow<{ previousCustomerId: string | null }>(
    `WITH previous AS (SELECT customer_id FROM orders WHERE shop_id = $1 AND id = $2)
     INSERT INTO orders (shop_id, id, customer_id, created_at, total, refunded, currency, discount_codes, product_ids,
                         cancelled_at, shopify_updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (shop_id, id) DO UPDATE SET
       customer_id = EXCLUDED.customer_id,
       total = EXCLUDED.total,
       refunded = EXCLUDED.refunded,
       currency = EXCLUDED.currency,
       discount_codes = EXCLUDED.discount_codes,
       product_ids = EXCLUDED.product_ids,
       cancelled_at = EXCLUDED.cancelled_at,
       shopify_updated_at = EXCLUDED.shopify_updated_at
     WHERE orders.shopify_updated_at IS NULL OR orders.shopify_updated_at <= EXCLUDED.shopify_updated_at
     RETURNING (SELECT customer_id FROM previous) AS previous_customer_id`,
    [
      shopId,
      order.id,
      order.customer?.id ?? null,
      at(order.created_at),
      order.total_price,
      refundedAmount(order),
      order.currency,
      order.discount_codes.map((discount) => discount.code),
      productIds,
      at(order.cancelled_at),
      at(order.updated_at),
    ],
  );
  if (!upserted) return;
  const touched = new Set<bigint>();
  if (order.customer) touched.add(BigInt(order.customer.id));
  if (upserted.previousCustomerId !== null) touched.add(BigInt(upserted.previousCustomerId));
  await refreshCustomerAggregates(shopId, [...touched]);
  // The customer's active enrollments: converted, or exited because they ordered on their own.
  if (order.customer) await settleOrders(shopId, [BigInt(order.customer.id)]);
}

/** Remembers that the shop's customer is gone for good (never re-created by a late event or a back-fill). */
export async function forgetCustomer(shopId: number, customerId: number, { db }: { db?: Db } = {}): Promise<void> {
  await execute("INSERT INTO forgotten_customers (shop_id, customer_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", [shopId, customerId], db);
}

/** customers/delete. Their orders stay (Shopify keeps them); the customer row goes, for good. */
export async function deleteCustomer(shopId: number, customerId: number): Promise<void> {
  await exitEnrollments(shopId, [BigInt(customerId)], "customer_deleted", { includeHoldout: true });
  await forgetCustomer(shopId, customerId);
  await execute("DELETE FROM customers WHERE shop_id = $1 AND id = $2", [shopId, customerId]);
}

/**
 * checkouts/create: the latest checkout time of the customer. A customer we have not seen yet
 * gets a row, so the checkout still counts when their customers/create arrives later.
 */
export async function recordCheckout(shopId: number, customerId: number, startedAt: Date): Promise<void> {
  await execute(
    `INSERT INTO customers (shop_id, id, last_checkout_at, order_hours)
     SELECT $1, $2, $3::timestamptz, '{}' ${NOT_FORGOTTEN}
     ON CONFLICT (shop_id, id) DO UPDATE SET last_checkout_at = EXCLUDED.last_checkout_at, updated_at = now()
     WHERE customers.last_checkout_at IS NULL OR customers.last_checkout_at < EXCLUDED.last_checkout_at`,
    [shopId, customerId, startedAt],
  );
  // Checkout recovery has priority: no more win-back e-mails; an order with the code still converts.
  await stopSends(shopId, [BigInt(customerId)], "checkout_started");
}
