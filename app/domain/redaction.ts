/**
 * customers/redact names a customer and the orders to erase. Whether a stored webhook body is
 * about them, by the fields Shopify's REST payloads use for each topic.
 */

export interface CustomerRedaction {
  customerId: number;
  orderIds: number[];
}

/** Reads customers/redact's body: `{ customer: { id }, orders_to_redact: [ids] }`. */
export function parseCustomerRedaction(payload: unknown): CustomerRedaction | null {
  if (typeof payload !== "object" || payload === null) return null;
  const body = payload as { customer?: { id?: unknown }; orders_to_redact?: unknown };
  const customerId = body.customer?.id;
  if (typeof customerId !== "number") return null;
  const orderIds = Array.isArray(body.orders_to_redact) ? body.orders_to_redact.filter((id): id is number => typeof id === "number") : [];
  return { customerId, orderIds };
}

export function webhookBodyConcerns(body: string, redaction: CustomerRedaction): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return false;
  }
  if (typeof parsed !== "object" || parsed === null) return false;
  const event = parsed as { id?: unknown; customer_id?: unknown; customer?: { id?: unknown } };
  return (
    event.customer_id === redaction.customerId || // consent updates, checkouts
    event.customer?.id === redaction.customerId || // orders, checkouts
    event.id === redaction.customerId || // customers/*
    (typeof event.id === "number" && redaction.orderIds.includes(event.id)) // orders/*
  );
}
