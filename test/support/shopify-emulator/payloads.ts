import type { CheckoutRecord, ShopState } from "./shop-state";
import type { CustomerRecord, LineItemRecord, OrderRecord } from "./model";

/**
 * Webhook bodies in the REST shape of API 2026-10: snake_case, amounts as strings, timestamps
 * with the shop's UTC offset, ids as numbers plus `admin_graphql_api_id`. They carry the fields
 * listed here; Shopify's carry more (see test/support/README.md).
 */

/** "2026-11-20T13:00:00+01:00": an instant written in the shop's timezone, as Shopify writes them. */
export function shopTime(iso: string | null, timeZone: string): string | null {
  if (iso === null) return null;
  const date = new Date(iso);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(date)
      .map((part) => [part.type, part.value]),
  ) as Record<string, string>;
  const local = Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!);
  const offsetMinutes = Math.round((local - Math.floor(date.getTime() / 1000) * 1000) / 60_000);
  const sign = offsetMinutes < 0 ? "-" : "+";
  const hours = String(Math.floor(Math.abs(offsetMinutes) / 60)).padStart(2, "0");
  const minutes = String(Math.abs(offsetMinutes) % 60).padStart(2, "0");
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${sign}${hours}:${minutes}`;
}

const lower = (value: string | null) => (value === null ? null : value.toLowerCase());

function consent(customer: CustomerRecord, timeZone: string) {
  return {
    state: customer.marketingState.toLowerCase(),
    opt_in_level: lower(customer.marketingOptInLevel),
    consent_updated_at: shopTime(customer.marketingUpdatedAt, timeZone),
  };
}

export function customerPayload(state: ShopState, customer: CustomerRecord) {
  const zone = state.store.shop.ianaTimezone;
  const address = customer.defaultAddress;
  return {
    id: customer.id,
    email: customer.email,
    created_at: shopTime(customer.createdAt, zone),
    updated_at: shopTime(customer.updatedAt, zone),
    first_name: customer.firstName,
    last_name: customer.lastName,
    state: customer.state.toLowerCase(),
    note: null,
    verified_email: customer.verifiedEmail,
    multipass_identifier: null,
    tax_exempt: false,
    tags: customer.tags.join(", "),
    currency: state.store.shop.currencyCode,
    phone: customer.phone,
    addresses: [],
    tax_exemptions: [],
    email_marketing_consent: consent(customer, zone),
    sms_marketing_consent: null,
    admin_graphql_api_id: `gid://shopify/Customer/${customer.id}`,
    default_address: {
      customer_id: customer.id,
      first_name: customer.firstName,
      last_name: customer.lastName,
      company: address.company,
      address1: address.address1,
      address2: address.address2,
      city: address.city,
      province: address.province,
      country: address.country,
      zip: address.zip,
      province_code: address.provinceCode,
      country_code: address.countryCodeV2,
      default: true,
    },
  };
}

function lineItemPayload(item: LineItemRecord, currency: string, cancelled: boolean) {
  return {
    id: item.id,
    admin_graphql_api_id: `gid://shopify/LineItem/${item.id}`,
    product_id: item.productId,
    variant_id: item.variantId,
    title: item.title,
    name: item.title,
    sku: item.sku,
    vendor: item.vendor,
    quantity: item.quantity,
    current_quantity: cancelled ? 0 : item.quantity,
    price: item.price,
    price_set: {
      shop_money: { amount: item.price, currency_code: currency },
      presentment_money: { amount: item.price, currency_code: currency },
    },
    total_discount: "0.00",
  };
}

export function orderPayload(state: ShopState, order: OrderRecord) {
  const zone = state.store.shop.ianaTimezone;
  const customer = order.customerId === null ? undefined : state.customer(order.customerId);
  const current = (Math.round(Number(order.total) * 100) - Math.round(Number(order.refunded) * 100)) / 100;
  const discountType = (code: string) => {
    const value = state.findCode(code)?.discount.value;
    return value?.kind === "amount" ? "fixed_amount" : value?.kind === "freeShipping" ? "shipping" : "percentage";
  };
  return {
    id: order.id,
    admin_graphql_api_id: `gid://shopify/Order/${order.id}`,
    name: order.name,
    number: Number(order.name.replace(/\D/g, "")) || 1,
    email: customer?.email ?? null,
    contact_email: customer?.email ?? null,
    created_at: shopTime(order.createdAt, zone),
    updated_at: shopTime(order.updatedAt, zone),
    processed_at: shopTime(order.processedAt, zone),
    cancelled_at: shopTime(order.cancelledAt, zone),
    cancel_reason: lower(order.cancelReason),
    closed_at: null,
    currency: order.currencyCode,
    presentment_currency: order.currencyCode,
    financial_status: order.financialStatus.toLowerCase(),
    fulfillment_status: null,
    test: false,
    source_name: order.sourceName,
    customer_locale: customer?.locale ?? null,
    total_line_items_price: order.lineItemsTotal,
    total_discounts: order.totalDiscounts,
    subtotal_price: order.subtotal,
    total_price: order.total,
    total_price_set: {
      shop_money: { amount: order.total, currency_code: order.currencyCode },
      presentment_money: { amount: order.total, currency_code: order.currencyCode },
    },
    current_total_price: current.toFixed(2),
    total_tax: "0.00",
    taxes_included: true,
    total_shipping_price_set: { shop_money: { amount: order.shipping, currency_code: order.currencyCode } },
    discount_codes: order.discountCodes.map((code) => ({ code, amount: order.totalDiscounts, type: discountType(code) })),
    line_items: order.lineItems.map((item) => lineItemPayload(item, order.currencyCode, order.cancelledAt !== null)),
    refunds:
      Number(order.refunded) > 0
        ? [
            {
              id: order.id + 1,
              created_at: shopTime(order.updatedAt, zone),
              transactions: [{ kind: "refund", status: "success", amount: order.refunded, currency: order.currencyCode }],
            },
          ]
        : [],
    customer: customer ? customerPayload(state, customer) : null,
  };
}

export function consentPayload(state: ShopState, customer: CustomerRecord) {
  return {
    customer_id: customer.id,
    email_address: customer.email,
    email_marketing_consent: consent(customer, state.store.shop.ianaTimezone),
  };
}

export function checkoutPayload(state: ShopState, checkout: CheckoutRecord) {
  const zone = state.store.shop.ianaTimezone;
  const customer = state.customer(checkout.customerId);
  const total = checkout.lineItems.reduce((sum, item) => sum + Number(item.price) * item.quantity, 0).toFixed(2);
  return {
    id: checkout.id,
    token: checkout.token,
    cart_token: checkout.token,
    email: customer?.email ?? null,
    created_at: shopTime(checkout.createdAt, zone),
    updated_at: shopTime(checkout.createdAt, zone),
    completed_at: null,
    currency: state.store.shop.currencyCode,
    presentment_currency: state.store.shop.currencyCode,
    subtotal_price: total,
    total_price: total,
    abandoned_checkout_url: `https://${state.domain}/checkouts/${checkout.token}/recover`,
    line_items: checkout.lineItems.map((item) => ({
      ...lineItemPayload(item, state.store.shop.currencyCode, false),
      key: String(item.id),
    })),
    customer: customer ? customerPayload(state, customer) : null,
  };
}

export function shopPayload(state: ShopState) {
  const shop = state.store.shop;
  return {
    id: shop.id,
    name: shop.name,
    email: shop.email,
    domain: shop.domain,
    myshopify_domain: shop.domain,
    iana_timezone: shop.ianaTimezone,
    currency: shop.currencyCode,
    address1: shop.address.address1,
    city: shop.address.city,
    zip: shop.address.zip,
    country_code: shop.address.countryCodeV2,
    created_at: null,
    updated_at: null,
  };
}

export function customerDeletePayload(customerId: number) {
  return {
    id: customerId,
    phone: null,
    addresses: [],
    tax_exemptions: [],
    email_marketing_consent: null,
    sms_marketing_consent: null,
    admin_graphql_api_id: `gid://shopify/Customer/${customerId}`,
  };
}

/** The common part of customers/data_request and customers/redact. */
export function customerCompliancePayload(state: ShopState, customer: CustomerRecord) {
  return {
    shop_id: state.store.shop.id,
    shop_domain: state.domain,
    customer: { id: customer.id, email: customer.email, phone: customer.phone },
  };
}
