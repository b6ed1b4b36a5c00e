import type { Decimal, Timestamp } from "./model";

/**
 * Code discounts as Shopify keeps them: a discount (basic: percentage or fixed amount; or free
 * shipping) with one or more redeem codes, an active period, who may use it, usage limits and a
 * minimum subtotal. `checkRedemption` is what Shopify's checkout enforces when an order uses a code.
 */

export interface RedeemCode {
  id: number;
  code: string;
  usageCount: number;
}

export type DiscountValue =
  | { kind: "percentage"; percentage: number }
  | { kind: "amount"; amount: Decimal; appliesOnEachItem: boolean }
  | { kind: "freeShipping"; maximumShippingPrice: Decimal | null };

export interface Discount {
  id: number;
  title: string;
  value: DiscountValue;
  startsAt: Timestamp;
  endsAt: Timestamp | null;
  /** Uses allowed per redeem code; null = unlimited. */
  usageLimit: number | null;
  appliesOncePerCustomer: boolean;
  /** Customer ids allowed to use it, or "all". */
  eligibleCustomers: number[] | "all";
  minimumSubtotal: Decimal | null;
  combinesWith: { orderDiscounts: boolean; productDiscounts: boolean; shippingDiscounts: boolean };
  tags: string[];
  codes: RedeemCode[];
  /** Customers who have used any of its codes. */
  usedBy: Set<number>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export type DiscountStatus = "ACTIVE" | "EXPIRED" | "SCHEDULED";

export function discountStatus(discount: Discount, at: Date): DiscountStatus {
  if (Date.parse(discount.startsAt) > at.getTime()) return "SCHEDULED";
  if (discount.endsAt !== null && Date.parse(discount.endsAt) <= at.getTime()) return "EXPIRED";
  return "ACTIVE";
}

export interface DiscountUserError {
  field: string[];
  message: string;
  code: string;
}

/** The part of DiscountCodeBasicInput / DiscountCodeFreeShippingInput the emulator honours. */
export interface DiscountInput {
  title?: string | null;
  code?: string | null;
  startsAt?: string | null;
  endsAt?: string | null;
  usageLimit?: number | null;
  appliesOncePerCustomer?: boolean | null;
  customerGets?: {
    value?: { percentage?: number | null; discountAmount?: { amount?: string | null; appliesOnEachItem?: boolean | null } | null } | null;
    items?: { all?: boolean | null } | null;
  } | null;
  context?: { all?: string | null; customers?: { add?: string[] | null } | null } | null;
  minimumRequirement?: { subtotal?: { greaterThanOrEqualToSubtotal?: string | null } | null } | null;
  combinesWith?: { orderDiscounts?: boolean | null; productDiscounts?: boolean | null; shippingDiscounts?: boolean | null } | null;
  maximumShippingPrice?: string | null;
  tags?: string[] | null;
}

export const MAX_CODE_LENGTH = 255;

/**
 * Validates a create input the way Shopify answers it: userErrors with the input path, a message
 * and a DiscountErrorCode. `root` is the argument name ("basicCodeDiscount", …).
 */
export function discountInputErrors(
  root: string,
  kind: "basic" | "freeShipping",
  input: DiscountInput,
  codeTaken: (code: string) => boolean,
  customerExists: (gid: string) => boolean,
): DiscountUserError[] {
  const errors: DiscountUserError[] = [];
  const error = (field: string[], message: string, code: string) => errors.push({ field: [root, ...field], message, code });

  if (!input.title?.trim()) error(["title"], "Title can't be blank", "BLANK");
  const code = input.code?.trim() ?? "";
  if (!code) error(["code"], "Code can't be blank", "BLANK");
  else if (code.length > MAX_CODE_LENGTH) error(["code"], `Code is too long (maximum is ${MAX_CODE_LENGTH} characters)`, "TOO_LONG");
  else if (/\s/.test(code)) error(["code"], "Code can't contain whitespace", "INVALID");
  else if (codeTaken(code)) error(["code"], "Code must be unique. Please try a different code.", "TAKEN");
  if (!input.startsAt) error(["startsAt"], "Starts at can't be blank", "BLANK");
  if (input.startsAt && input.endsAt && Date.parse(input.endsAt) <= Date.parse(input.startsAt)) {
    error(["endsAt"], "Ends at needs to be after starts_at", "END_DATE_BEFORE_START_DATE");
  }
  if (input.usageLimit != null && input.usageLimit < 1) error(["usageLimit"], "Usage limit must be greater than 0", "GREATER_THAN");

  if (kind === "basic") {
    const value = input.customerGets?.value;
    const percentage = value?.percentage;
    const amount = value?.discountAmount?.amount;
    if (!input.customerGets) error(["customerGets"], "Customer gets can't be blank", "BLANK");
    else if ((percentage == null) === (amount == null)) {
      error(["customerGets", "value"], "Value must be exactly one of percentage or discountAmount", "INVALID");
    } else if (percentage != null && (percentage <= 0 || percentage > 1)) {
      error(["customerGets", "value", "percentage"], "Value must be between 0.0 and 1.0", "VALUE_OUTSIDE_RANGE");
    } else if (amount != null && !(Number(amount) > 0)) {
      error(["customerGets", "value", "discountAmount", "amount"], "Value must be greater than 0", "GREATER_THAN");
    }
    if (input.customerGets && !input.customerGets.items?.all) {
      error(["customerGets", "items"], "Items must apply to all items in the emulator", "APPLIES_ON_NOTHING");
    }
  }

  const context = input.context;
  if (!context || (!context.all && !context.customers)) {
    error(["context"], "Context must select all buyers or specific customers", "MISSING_ARGUMENT");
  } else {
    for (const [index, gid] of (context.customers?.add ?? []).entries()) {
      if (!customerExists(gid)) error(["context", "customers", "add", String(index)], "Customer does not exist", "INVALID");
    }
  }
  const minimum = input.minimumRequirement?.subtotal?.greaterThanOrEqualToSubtotal;
  if (minimum != null && !(Number(minimum) >= 0)) {
    error(
      ["minimumRequirement", "subtotal", "greaterThanOrEqualToSubtotal"],
      "Minimum subtotal must be 0 or more",
      "GREATER_THAN_OR_EQUAL_TO",
    );
  }
  return errors;
}

export type RedemptionRefusal =
  | "UNKNOWN_CODE"
  | "NOT_STARTED"
  | "EXPIRED"
  | "NOT_ELIGIBLE_CUSTOMER"
  | "USAGE_LIMIT_REACHED"
  | "ALREADY_USED_BY_CUSTOMER"
  | "MINIMUM_SUBTOTAL_NOT_MET";

export type Redemption =
  | { ok: true; discount: Discount; code: RedeemCode; discountCents: number; freeShipping: boolean }
  | { ok: false; refusal: RedemptionRefusal };

const cents = (amount: Decimal) => Math.round(Number(amount) * 100);

/** Whether `code` may be used by this customer on an order of this subtotal at this time, and for how much. */
export function checkRedemption(
  found: { discount: Discount; code: RedeemCode } | undefined,
  customerId: number | null,
  subtotalCents: number,
  itemCount: number,
  at: Date,
): Redemption {
  if (!found) return { ok: false, refusal: "UNKNOWN_CODE" };
  const { discount, code } = found;
  const status = discountStatus(discount, at);
  if (status === "SCHEDULED") return { ok: false, refusal: "NOT_STARTED" };
  if (status === "EXPIRED") return { ok: false, refusal: "EXPIRED" };
  if (discount.eligibleCustomers !== "all" && (customerId === null || !discount.eligibleCustomers.includes(customerId))) {
    return { ok: false, refusal: "NOT_ELIGIBLE_CUSTOMER" };
  }
  if (discount.usageLimit !== null && code.usageCount >= discount.usageLimit) return { ok: false, refusal: "USAGE_LIMIT_REACHED" };
  if (discount.appliesOncePerCustomer && customerId !== null && discount.usedBy.has(customerId)) {
    return { ok: false, refusal: "ALREADY_USED_BY_CUSTOMER" };
  }
  if (discount.minimumSubtotal !== null && subtotalCents < cents(discount.minimumSubtotal)) {
    return { ok: false, refusal: "MINIMUM_SUBTOTAL_NOT_MET" };
  }
  const value = discount.value;
  const discountCents =
    value.kind === "percentage"
      ? Math.round(subtotalCents * value.percentage)
      : value.kind === "amount"
        ? Math.min(subtotalCents, cents(value.amount) * (value.appliesOnEachItem ? itemCount : 1))
        : 0;
  return { ok: true, discount, code, discountCents, freeShipping: value.kind === "freeShipping" };
}

/** Shopify's one-line description of a discount, e.g. "15% off entire order • Minimum purchase of €50.00". */
export function discountSummary(discount: Discount, currencyCode: string): string {
  const value = discount.value;
  const money = (amount: Decimal) => `${amount} ${currencyCode}`;
  const parts = [
    value.kind === "percentage"
      ? `${Math.round(value.percentage * 100)}% off entire order`
      : value.kind === "amount"
        ? `${money(value.amount)} off entire order`
        : "Free shipping on all products",
  ];
  if (discount.minimumSubtotal) parts.push(`Minimum purchase of ${money(discount.minimumSubtotal)}`);
  if (discount.appliesOncePerCustomer) parts.push("One use per customer");
  return parts.join(" • ");
}
