import type { Sequence } from "./connection";
import { checkRedemption, type Discount, type RedeemCode, type RedemptionRefusal } from "./discounts";
import type {
  CustomerRecord,
  Decimal,
  GeneratedStore,
  LineItemRecord,
  MarketingOptInLevel,
  MarketingState,
  OrderRecord,
  ProductRecord,
  VariantRecord,
} from "./model";

/**
 * One emulated shop: the generated store as the base, and every change made since (by the app
 * through mutations, or by tests through emulator actions) kept as overlays, so a
 * million-customer store stays streamable while still changing like a real one.
 */

const cents = (amount: Decimal) => Math.round(Number(amount) * 100);
const decimal = (value: number) => (value / 100).toFixed(2);

/** Positions of orders in the shop-wide order sequence: customer index × stride + order number. */
const ORDER_POSITION_STRIDE = 1000;

export interface MarketingActivityRecord {
  id: number;
  remoteId: string | null;
  title: string;
  status: string;
  tactic: string;
  marketingChannelType: string;
  remoteUrl: string;
  utm: { campaign: string; source: string; medium: string } | null;
  createdAt: string;
  updatedAt: string;
}

export interface MarketingEngagementRecord {
  marketingActivityId: number;
  occurredOn: string;
  input: Record<string, unknown>;
}

export interface FlowTriggerRecord {
  handle: string;
  payload: unknown;
  receivedAt: string;
}

export interface CheckoutRecord {
  id: number;
  token: string;
  customerId: number;
  createdAt: string;
  lineItems: LineItemRecord[];
}

export interface NewOrder {
  customerId: number;
  /** Variants and quantities; default: one unit of the first available product. */
  lineItems?: { variantId: number; quantity: number }[];
  discountCode?: string;
  createdAt?: Date;
}

export class OrderRefused extends Error {
  constructor(readonly refusal: RedemptionRefusal | "UNKNOWN_CUSTOMER" | "UNKNOWN_VARIANT") {
    super(`order refused: ${refusal}`);
    this.name = "OrderRefused";
  }
}

/** What an access token grants: scopes, and an expiry for expiring offline tokens. */
export interface TokenGrant {
  scopes: Set<string>;
  expiresAt: number | null;
}

export class ShopState {
  readonly accessTokens = new Map<string, TokenGrant>();
  installed = true;

  private readonly createdCustomers: CustomerRecord[] = [];
  private readonly customerPatches = new Map<number, Partial<CustomerRecord>>();
  private readonly deletedCustomers = new Set<number>();
  private readonly createdOrders: OrderRecord[] = [];
  private readonly createdOrdersByCustomer = new Map<number, OrderRecord[]>();
  private readonly orderPatches = new Map<number, Partial<OrderRecord>>();
  private nextCustomerId: number;
  private nextOrderId = 9_000_000_000_000;
  private nextLineItemId = 9_500_000_000_000;

  readonly discounts = new Map<number, Discount>();
  private readonly codes = new Map<string, { discount: Discount; code: RedeemCode }>();
  private nextDiscountId = 1_400_000_000;
  private nextCodeId = 2_800_000_000;

  readonly marketingActivities = new Map<number, MarketingActivityRecord>();
  readonly marketingEngagements: MarketingEngagementRecord[] = [];
  readonly flowTriggers: FlowTriggerRecord[] = [];
  readonly checkouts: CheckoutRecord[] = [];
  private nextMarketingActivityId = 100_000;

  /** A small cache: a request that reads a customer, then their orders, generates the history once. */
  private readonly historyCache = new Map<number, ReturnType<GeneratedStore["history"]>>();

  constructor(
    readonly store: GeneratedStore,
    private readonly clock: () => Date,
  ) {
    this.nextCustomerId = store.customerId(Math.max(0, store.customerCount - 1)) + 1_000_000;
  }

  get domain(): string {
    return this.store.shop.domain;
  }

  now(): Date {
    return this.clock();
  }

  private history(index: number) {
    let history = this.historyCache.get(index);
    if (!history) {
      history = this.store.history(index);
      if (this.historyCache.size >= 2_000) this.historyCache.delete(this.historyCache.keys().next().value!);
      this.historyCache.set(index, history);
    }
    return history;
  }

  // ── customers ────────────────────────────────────────────────────────────────────────────────

  private withPatch(customer: CustomerRecord): CustomerRecord {
    const patch = this.customerPatches.get(customer.id);
    return patch ? { ...customer, ...patch } : customer;
  }

  customer(id: number): CustomerRecord | undefined {
    if (this.deletedCustomers.has(id)) return undefined;
    const index = this.store.customerIndex(id);
    if (index !== undefined) return this.withPatch(this.history(index).customer);
    const created = this.createdCustomers.find((customer) => customer.id === id);
    return created && this.withPatch(created);
  }

  /** Every customer: the generated ones by index, then those created since. */
  customerSequence(): Sequence<CustomerRecord> {
    const base = this.store.customerCount;
    const created = this.createdCustomers;
    const deleted = this.deletedCustomers;
    const at = (position: number) => (position < base ? this.history(position).customer : created[position - base]!);
    const patched = (record: CustomerRecord) => this.withPatch(record);
    return {
      length: base + created.length,
      *scan(from, direction) {
        for (let position = from; position >= 0 && position < base + created.length; position += direction) {
          const record = at(position);
          if (!deleted.has(record.id)) yield { position, item: patched(record) };
        }
      },
    };
  }

  createCustomer(fields: Pick<CustomerRecord, "firstName" | "lastName" | "email"> & Partial<CustomerRecord>): CustomerRecord {
    const now = this.now().toISOString();
    const template = this.history(0).customer;
    const customer: CustomerRecord = {
      ...template,
      phone: null,
      tags: [],
      marketingState: "NOT_SUBSCRIBED",
      marketingOptInLevel: null,
      marketingUpdatedAt: null,
      rfmGroup: "PROSPECTS",
      predictedSpendTier: null,
      ...fields,
      id: this.nextCustomerId++,
      createdAt: now,
      updatedAt: now,
    };
    this.createdCustomers.push(customer);
    return customer;
  }

  updateCustomer(id: number, patch: Partial<CustomerRecord>): CustomerRecord {
    if (!this.customer(id)) throw new Error(`no customer ${id} in ${this.domain}`);
    const merged = { ...this.customerPatches.get(id), ...patch, updatedAt: this.now().toISOString() };
    this.customerPatches.set(id, merged);
    return this.customer(id)!;
  }

  setMarketingConsent(id: number, state: MarketingState, optInLevel: MarketingOptInLevel | null, at: Date): CustomerRecord {
    return this.updateCustomer(id, { marketingState: state, marketingOptInLevel: optInLevel, marketingUpdatedAt: at.toISOString() });
  }

  /** Shopify refuses to delete a customer who has orders. */
  deleteCustomer(id: number): void {
    if (!this.customer(id)) throw new Error(`no customer ${id} in ${this.domain}`);
    if (this.ordersOf(id).length > 0) throw new Error("Customer can't be deleted because they have orders");
    this.deletedCustomers.add(id);
  }

  // ── orders ───────────────────────────────────────────────────────────────────────────────────

  private withOrderPatch(order: OrderRecord): OrderRecord {
    const patch = this.orderPatches.get(order.id);
    return patch ? { ...order, ...patch } : order;
  }

  ordersOf(customerId: number): OrderRecord[] {
    const index = this.store.customerIndex(customerId);
    const generated = index === undefined ? [] : this.history(index).orders;
    return [...generated, ...(this.createdOrdersByCustomer.get(customerId) ?? [])].map((order) => this.withOrderPatch(order));
  }

  order(id: number): OrderRecord | undefined {
    const location = this.store.orderLocation(id);
    if (location) {
      const order = this.history(location.index).orders[location.position];
      return order && !this.deletedCustomers.has(order.customerId ?? -1) ? this.withOrderPatch(order) : undefined;
    }
    const created = this.createdOrders.find((order) => order.id === id);
    return created && this.withOrderPatch(created);
  }

  /** Bumped whenever an order is added or changed; time-sorted indexes are rebuilt after it. */
  private ordersVersion = 0;
  private readonly timeSorted = new Map<string, { version: number; positions: Float64Array }>();

  /**
   * Every order, by id (the generated ones by customer, then those created since), or by a
   * timestamp. A time order needs the whole store scanned and sorted once (cached until orders change).
   */
  orderSequence(sortKey: "ID" | "PROCESSED_AT" | "CREATED_AT" | "UPDATED_AT" = "ID"): Sequence<OrderRecord> {
    const byId = this.ordersById();
    if (sortKey === "ID") return byId;
    let sorted = this.timeSorted.get(sortKey);
    if (!sorted || sorted.version !== this.ordersVersion) {
      const field = ({ PROCESSED_AT: "processedAt", CREATED_AT: "createdAt", UPDATED_AT: "updatedAt" } as const)[sortKey];
      const times: number[] = [];
      const positions: number[] = [];
      for (const { position, item } of byId.scan(0, 1)) {
        times.push(Date.parse(item[field]));
        positions.push(position);
      }
      const order = [...positions.keys()].sort((a, b) => times[a]! - times[b]! || positions[a]! - positions[b]!);
      sorted = { version: this.ordersVersion, positions: Float64Array.from(order, (i) => positions[i]!) };
      this.timeSorted.set(sortKey, sorted);
    }
    const { positions } = sorted;
    const at = (position: number) => this.orderAtPosition(position)!;
    return {
      length: positions.length,
      *scan(from, direction) {
        for (let i = from; i >= 0 && i < positions.length; i += direction) yield { position: i, item: at(positions[i]!) };
      },
    };
  }

  private orderAtPosition(position: number): OrderRecord | undefined {
    const base = this.store.customerCount * ORDER_POSITION_STRIDE;
    const order =
      position >= base
        ? this.createdOrders[position - base]
        : this.history(Math.floor(position / ORDER_POSITION_STRIDE)).orders[position % ORDER_POSITION_STRIDE];
    return order && this.withOrderPatch(order);
  }

  private ordersById(): Sequence<OrderRecord> {
    const customers = this.store.customerCount;
    const base = customers * ORDER_POSITION_STRIDE;
    const created = this.createdOrders;
    const ordersAt = (index: number) => this.history(index).orders;
    const patched = (order: OrderRecord) => this.withOrderPatch(order);
    return {
      length: base + created.length,
      *scan(from, direction) {
        const fromIndex = Math.floor(from / ORDER_POSITION_STRIDE);
        if (direction === 1) {
          for (let index = fromIndex; index < customers; index++) {
            const orders = ordersAt(index);
            for (let k = index === fromIndex ? from % ORDER_POSITION_STRIDE : 0; k < orders.length; k++) {
              yield { position: index * ORDER_POSITION_STRIDE + k, item: patched(orders[k]!) };
            }
          }
          for (let j = Math.max(0, from - base); j < created.length; j++) yield { position: base + j, item: patched(created[j]!) };
        } else {
          for (let j = Math.min(from - base, created.length - 1); j >= 0; j--) yield { position: base + j, item: patched(created[j]!) };
          for (let index = Math.min(fromIndex, customers - 1); index >= 0; index--) {
            const orders = ordersAt(index);
            const start = from < base && index === fromIndex ? from % ORDER_POSITION_STRIDE : orders.length - 1;
            for (let k = Math.min(start, orders.length - 1); k >= 0; k--) {
              yield { position: index * ORDER_POSITION_STRIDE + k, item: patched(orders[k]!) };
            }
          }
        }
      },
    };
  }

  variant(id: number): { product: ProductRecord; variant: VariantRecord } | undefined {
    for (const product of this.store.products) {
      const variant = product.variants.find((candidate) => candidate.id === id);
      if (variant) return { product, variant };
    }
    return undefined;
  }

  /** An order as the storefront checkout would create it; a discount code must pass Shopify's rules. */
  placeOrder(input: NewOrder): OrderRecord {
    const customer = this.customer(input.customerId);
    if (!customer) throw new OrderRefused("UNKNOWN_CUSTOMER");
    const at = input.createdAt ?? this.now();
    const requested = input.lineItems ?? [{ variantId: this.firstAvailableVariant().id, quantity: 1 }];
    const lineItems: LineItemRecord[] = requested.map(({ variantId, quantity }) => {
      const found = this.variant(variantId);
      if (!found) throw new OrderRefused("UNKNOWN_VARIANT");
      return {
        id: this.nextLineItemId++,
        productId: found.product.id,
        variantId,
        title: found.product.title,
        sku: found.variant.sku,
        vendor: found.product.vendor,
        quantity,
        price: found.variant.price,
      };
    });
    const lineItemsCents = lineItems.reduce((sum, item) => sum + cents(item.price) * item.quantity, 0);
    let discountCents = 0;
    let freeShipping = false;
    let maximumShippingCents: number | null = null;
    const discountCodes: string[] = [];
    if (input.discountCode) {
      const found = this.findCode(input.discountCode);
      const itemCount = lineItems.reduce((sum, item) => sum + item.quantity, 0);
      const redemption = checkRedemption(found, customer.id, lineItemsCents, itemCount, at);
      if (!redemption.ok) throw new OrderRefused(redemption.refusal);
      redemption.code.usageCount++;
      redemption.discount.usedBy.add(customer.id);
      discountCents = redemption.discountCents;
      freeShipping = redemption.freeShipping;
      const value = redemption.discount.value;
      if (value.kind === "freeShipping" && value.maximumShippingPrice !== null) maximumShippingCents = cents(value.maximumShippingPrice);
      discountCodes.push(redemption.code.code);
    }
    const subtotalCents = lineItemsCents - discountCents;
    const standardShippingCents = subtotalCents >= 5000 ? 0 : 495;
    const shippingCents =
      freeShipping && (maximumShippingCents === null || standardShippingCents <= maximumShippingCents) ? 0 : standardShippingCents;
    const order: OrderRecord = {
      id: this.nextOrderId,
      name: `#E${this.nextOrderId - 9_000_000_000_000 + 1}`,
      customerId: customer.id,
      createdAt: at.toISOString(),
      processedAt: at.toISOString(),
      updatedAt: at.toISOString(),
      currencyCode: this.store.shop.currencyCode,
      lineItems,
      lineItemsTotal: decimal(lineItemsCents),
      totalDiscounts: decimal(discountCents),
      subtotal: decimal(subtotalCents),
      shipping: decimal(shippingCents),
      total: decimal(subtotalCents + shippingCents),
      discountCodes,
      cancelledAt: null,
      cancelReason: null,
      refunded: "0.00",
      financialStatus: "PAID",
      sourceName: "web",
    };
    this.nextOrderId++;
    this.ordersVersion++;
    this.createdOrders.push(order);
    this.createdOrdersByCustomer.set(customer.id, [...(this.createdOrdersByCustomer.get(customer.id) ?? []), order]);
    this.updateCustomer(customer.id, {});
    return order;
  }

  private firstAvailableVariant(): VariantRecord {
    for (const product of this.store.products) {
      if (product.status !== "ACTIVE") continue;
      const variant = product.variants.find((candidate) => !candidate.tracked || candidate.inventoryQuantity > 0);
      if (variant) return variant;
    }
    throw new Error(`${this.domain} has no available variant`);
  }

  cancelOrder(id: number, reason: NonNullable<OrderRecord["cancelReason"]> = "CUSTOMER"): OrderRecord {
    const order = this.order(id);
    if (!order) throw new Error(`no order ${id} in ${this.domain}`);
    const now = this.now().toISOString();
    this.orderPatches.set(id, {
      ...this.orderPatches.get(id),
      cancelledAt: now,
      cancelReason: reason,
      refunded: order.total,
      financialStatus: "REFUNDED",
      updatedAt: now,
    });
    this.ordersVersion++;
    return this.order(id)!;
  }

  refundOrder(id: number, amount: Decimal): OrderRecord {
    const order = this.order(id);
    if (!order) throw new Error(`no order ${id} in ${this.domain}`);
    const refunded = Math.min(cents(order.total), cents(order.refunded) + cents(amount));
    this.orderPatches.set(id, {
      ...this.orderPatches.get(id),
      refunded: decimal(refunded),
      financialStatus: refunded >= cents(order.total) ? "REFUNDED" : "PARTIALLY_REFUNDED",
      updatedAt: this.now().toISOString(),
    });
    this.ordersVersion++;
    return this.order(id)!;
  }

  startCheckout(customerId: number): CheckoutRecord {
    const customer = this.customer(customerId);
    if (!customer) throw new Error(`no customer ${customerId} in ${this.domain}`);
    const variant = this.firstAvailableVariant();
    const found = this.variant(variant.id)!;
    const id = 30_000_000_000_000 + this.checkouts.length;
    const checkout: CheckoutRecord = {
      id,
      token: `emulated${id.toString(36)}`,
      customerId,
      createdAt: this.now().toISOString(),
      lineItems: [
        {
          id: this.nextLineItemId++,
          productId: found.product.id,
          variantId: variant.id,
          title: found.product.title,
          sku: variant.sku,
          vendor: found.product.vendor,
          quantity: 1,
          price: variant.price,
        },
      ],
    };
    this.checkouts.push(checkout);
    return checkout;
  }

  // ── discounts ────────────────────────────────────────────────────────────────────────────────

  findCode(code: string): { discount: Discount; code: RedeemCode } | undefined {
    return this.codes.get(code.toUpperCase());
  }

  isCodeTaken(code: string): boolean {
    return this.codes.has(code.toUpperCase());
  }

  addDiscount(fields: Omit<Discount, "id" | "codes" | "usedBy" | "createdAt" | "updatedAt">, code: string): Discount {
    const now = this.now().toISOString();
    const discount: Discount = { ...fields, id: this.nextDiscountId++, codes: [], usedBy: new Set(), createdAt: now, updatedAt: now };
    this.discounts.set(discount.id, discount);
    this.addRedeemCode(discount, code);
    return discount;
  }

  addRedeemCode(discount: Discount, code: string): RedeemCode {
    const redeemCode = { id: this.nextCodeId++, code, usageCount: 0 };
    discount.codes.push(redeemCode);
    this.codes.set(code.toUpperCase(), { discount, code: redeemCode });
    return redeemCode;
  }

  deleteDiscount(id: number): boolean {
    const discount = this.discounts.get(id);
    if (!discount) return false;
    for (const code of discount.codes) this.codes.delete(code.code.toUpperCase());
    this.discounts.delete(id);
    return true;
  }

  addMarketingActivity(fields: Omit<MarketingActivityRecord, "id" | "createdAt" | "updatedAt">): MarketingActivityRecord {
    const now = this.now().toISOString();
    const activity = { ...fields, id: this.nextMarketingActivityId++, createdAt: now, updatedAt: now };
    this.marketingActivities.set(activity.id, activity);
    return activity;
  }
}
