import { z } from "zod";

/**
 * The parts of Shopify's REST webhook bodies (API 2026-10) that live sync reads. Unknown fields
 * are ignored; a body missing what we need fails the event visibly rather than storing nonsense.
 */

const id = z.number().int().positive();
const money = z.string().regex(/^-?\d+(\.\d+)?$/);
const timestamp = z.string().refine((value) => !Number.isNaN(Date.parse(value)), "a timestamp");

const consent = z.object({
  state: z.string().transform((state) => state.toUpperCase()),
  opt_in_level: z.string().nullish(),
  consent_updated_at: timestamp.nullish(),
});

export const customerPayloadSchema = z.object({
  id,
  email: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  locale: z.string().nullish(),
  created_at: timestamp.nullish(),
  updated_at: timestamp,
  email_marketing_consent: consent.nullish(),
});
export type CustomerPayload = z.infer<typeof customerPayloadSchema>;

export const orderPayloadSchema = z.object({
  id,
  created_at: timestamp,
  updated_at: timestamp,
  cancelled_at: timestamp.nullish(),
  total_price: money,
  currency: z.string(),
  discount_codes: z.array(z.object({ code: z.string() })).default([]),
  line_items: z.array(z.object({ product_id: id.nullish() })).default([]),
  total_price_set: z.object({ shop_money: z.object({ amount: money }), presentment_money: z.object({ amount: money }) }).nullish(),
  refunds: z
    .array(
      z.object({
        transactions: z
          .array(z.object({ kind: z.string(), status: z.string().nullish(), amount: money, currency: z.string().nullish() }))
          .default([]),
      }),
    )
    .default([]),
  customer: customerPayloadSchema.nullish(),
});
export type OrderPayload = z.infer<typeof orderPayloadSchema>;

export const consentPayloadSchema = z.object({
  customer_id: id,
  email_address: z.string().nullish(),
  email_marketing_consent: consent,
});

export const checkoutPayloadSchema = z.object({
  id,
  created_at: timestamp,
  customer: z.object({ id }).nullish(),
});

export const customerDeletePayloadSchema = z.object({ id });

export const dataRequestPayloadSchema = z.object({
  customer: z.object({ id }),
  orders_requested: z.array(id).default([]),
  data_request: z.object({ id }),
});

/**
 * Refunded so far, in the shop's currency: successful refund transactions of the order. A
 * transaction in the customer's (presentment) currency is converted at the order's own rate, so
 * net spend agrees with the back-fill's totalRefundedSet.shopMoney.
 */
export function refundedAmount(order: OrderPayload): string {
  const shopTotal = Number(order.total_price_set?.shop_money.amount);
  const presentmentTotal = Number(order.total_price_set?.presentment_money.amount);
  const toShopMoney = shopTotal > 0 && presentmentTotal > 0 ? shopTotal / presentmentTotal : 1;
  const cents = order.refunds
    .flatMap((refund) => refund.transactions)
    .filter((transaction) => transaction.kind === "refund" && (transaction.status ?? "success") === "success")
    .reduce((sum, transaction) => {
      const rate = transaction.currency && transaction.currency !== order.currency ? toShopMoney : 1;
      return sum + Math.round(Number(transaction.amount) * rate * 100);
    }, 0);
  return (cents / 100).toFixed(2);
}
