import { GraphQLError } from "graphql";
import type { AccessScopes } from "./access";
import { arraySequence, paginate, type PageArgs, type Sequence } from "./connection";
import { discountStatus, discountSummary, type Discount } from "./discounts";
import type { AddressRecord, CustomerRecord, Decimal, OrderRecord, ProductRecord, VariantRecord } from "./model";
import { compileSearch, type SearchSpec } from "./search-query";
import type { ShopState } from "./shop-state";

/**
 * GraphQL-shaped views of the emulated records. graphql-js resolves a field by reading the
 * property of that name, calling it when it is a function (so expensive fields are lazy);
 * abstract types carry `__typename`. Connections take the field's arguments, or BULK to
 * return every item (bulk operations read whole connections).
 */

export const BULK = Symbol("every item, for bulk operations");
type ConnectionArgs = (PageArgs & { query?: string | null; sortKey?: string | null }) | typeof BULK;

export interface RequestContext {
  state: ShopState;
  /** The scopes of the access token the request came with. */
  scopes: AccessScopes;
  /** Orders created before this are invisible (no read_all_orders scope); null = all visible. */
  oldestVisibleOrder: Date | null;
  /** Fields of `query:` arguments the resource did not know (reported under extensions.search). */
  searchWarnings: { path: string; field: string }[];
}

export function orderVisible(context: RequestContext, order: OrderRecord): boolean {
  return context.oldestVisibleOrder === null || Date.parse(order.createdAt) >= context.oldestVisibleOrder.getTime();
}

export function gid(type: string, id: number | string): string {
  return `gid://shopify/${type}/${id}`;
}

/** The numeric id of a gid of the expected type, or a GraphQL error like Shopify's. */
export function parseGid(value: string, expectedType?: string): { type: string; id: number } {
  const match = /^gid:\/\/shopify\/(\w+)\/(\d+)$/.exec(value);
  if (!match || (expectedType && match[1] !== expectedType)) {
    throw new GraphQLError(`Invalid global id '${value}'`, { extensions: { code: "argumentLiteralsIncompatible" } });
  }
  return { type: match[1]!, id: Number(match[2]) };
}

const money = (amount: Decimal, currencyCode: string) => ({ amount, currencyCode });
const moneyBag = (amount: Decimal, currencyCode: string) => ({
  shopMoney: money(amount, currencyCode),
  presentmentMoney: money(amount, currencyCode),
});
const sum = (amounts: Decimal[]) => (amounts.reduce((total, amount) => total + Math.round(Number(amount) * 100), 0) / 100).toFixed(2);

function connection<T, V>(
  key: string,
  sequence: Sequence<T> | readonly T[],
  args: ConnectionArgs,
  view: (item: T) => V,
  matches?: (item: T) => boolean,
) {
  const source = Array.isArray(sequence) ? arraySequence(sequence as readonly T[]) : (sequence as Sequence<T>);
  if (args === BULK) {
    const nodes: V[] = [];
    for (const { item } of source.scan(0, 1)) if (!matches || matches(item)) nodes.push(view(item));
    return { nodes };
  }
  return paginate(source, args, view, matches, key);
}

const ORDER_SORT_FIELDS = { PROCESSED_AT: "processedAt", CREATED_AT: "createdAt", UPDATED_AT: "updatedAt" } as const;

/** A customer's own orders in the requested order (a short list, sorted in memory). */
function sortedOrders(orders: OrderRecord[], sortKey: string | null | undefined): OrderRecord[] {
  if (!sortKey || sortKey === "ID" || sortKey === "RELEVANCE") return [...orders].sort((a, b) => a.id - b.id);
  requireSortKey(sortKey, ["ID", "RELEVANCE", ...Object.keys(ORDER_SORT_FIELDS)]);
  const field = ORDER_SORT_FIELDS[sortKey as keyof typeof ORDER_SORT_FIELDS];
  return [...orders].sort((a, b) => Date.parse(a[field]) - Date.parse(b[field]) || a.id - b.id);
}

function searched<T>(context: RequestContext, path: string, query: string | null | undefined, spec: SearchSpec<T>) {
  const search = compileSearch(query, spec);
  for (const field of search.unknownFields) context.searchWarnings.push({ path, field });
  return search.matches;
}

function requireSortKey(sortKey: string | null | undefined, supported: string[]): void {
  if (sortKey && !supported.includes(sortKey)) {
    throw new GraphQLError(`The local Shopify emulator does not sort by ${sortKey}; it supports ${supported.join(", ")}.`, {
      extensions: { code: "EMULATOR_UNSUPPORTED" },
    });
  }
}

function address(record: AddressRecord | null, name?: { firstName: string; lastName: string }) {
  if (!record) return null;
  return {
    ...record,
    id: gid("MailingAddress", `${record.zip}${record.address1.length}`.replace(/\D/g, "") || "1"),
    countryCode: record.countryCodeV2,
    firstName: name?.firstName ?? null,
    lastName: name?.lastName ?? null,
    name: name ? `${name.firstName} ${name.lastName}` : null,
    phone: null,
    coordinatesValidated: false,
    latitude: null,
    longitude: null,
    timeZone: null,
    formatted: [record.address1, record.address2, `${record.zip} ${record.city}`, record.country].filter(Boolean),
    formattedArea: [record.city, record.province, record.country].filter(Boolean).join(", "),
  };
}

// ── customers ──────────────────────────────────────────────────────────────────────────────────

export const customerSearch: SearchSpec<CustomerRecord> = {
  fields: {
    id: (c) => c.id,
    email: (c) => c.email,
    first_name: (c) => c.firstName,
    last_name: (c) => c.lastName,
    created_at: (c) => c.createdAt,
    updated_at: (c) => c.updatedAt,
    state: (c) => c.state.toLowerCase(),
    email_marketing_state: (c) => c.marketingState.toLowerCase(),
    tag: (c) => c.tags,
    country: (c) => c.defaultAddress.countryCodeV2,
  },
  text: (c) => `${c.firstName} ${c.lastName} ${c.email}`,
};

export function customerView(context: RequestContext, customer: CustomerRecord) {
  const { state } = context;
  const currency = state.store.shop.currencyCode;
  const orders = () => state.ordersOf(customer.id);
  const counted = () => orders().filter((order) => order.cancelledAt === null);
  const emailAddress = {
    emailAddress: customer.email,
    marketingState: customer.marketingState,
    marketingOptInLevel: customer.marketingOptInLevel,
    marketingUpdatedAt: customer.marketingUpdatedAt,
    validFormat: true,
    marketingUnsubscribeUrl: `https://${state.domain}/unsubscribe?c=${customer.id}`,
    openTrackingLevel: "UNKNOWN",
    openTrackingUrl: `https://${state.domain}/open?c=${customer.id}`,
    sourceLocation: null,
  };
  return {
    __typename: "Customer",
    id: gid("Customer", customer.id),
    legacyResourceId: String(customer.id),
    firstName: customer.firstName,
    lastName: customer.lastName,
    displayName: `${customer.firstName} ${customer.lastName}`,
    email: customer.email,
    phone: customer.phone,
    locale: customer.locale,
    state: customer.state,
    verifiedEmail: customer.verifiedEmail,
    tags: customer.tags,
    note: null,
    createdAt: customer.createdAt,
    updatedAt: customer.updatedAt,
    defaultEmailAddress: emailAddress,
    emailMarketingConsent: {
      marketingState: customer.marketingState,
      marketingOptInLevel: customer.marketingOptInLevel,
      consentUpdatedAt: customer.marketingUpdatedAt,
      sourceLocation: null,
    },
    defaultAddress: address(customer.defaultAddress, customer),
    statistics: { rfmGroup: customer.rfmGroup, predictedSpendTier: customer.predictedSpendTier },
    numberOfOrders: () => String(orders().length),
    amountSpent: () => money(sum(counted().map((order) => sum([order.total, `-${order.refunded}`]))), currency),
    lastOrder: () => {
      const last = orders()
        .filter((order) => orderVisible(context, order))
        .at(-1);
      return last ? orderView(context, last) : null;
    },
    orders: (args: ConnectionArgs) => {
      const visible = orders().filter((order) => orderVisible(context, order));
      if (args === BULK) return connection("customer.orders", visible, args, (order) => orderView(context, order));
      const matches = searched(context, "orders", args.query, orderSearch);
      return connection("customer.orders", sortedOrders(visible, args.sortKey), args, (order) => orderView(context, order), matches);
    },
  };
}

// ── orders ─────────────────────────────────────────────────────────────────────────────────────

export const orderSearch: SearchSpec<OrderRecord> = {
  fields: {
    id: (o) => o.id,
    name: (o) => o.name,
    created_at: (o) => o.createdAt,
    updated_at: (o) => o.updatedAt,
    processed_at: (o) => o.processedAt,
    customer_id: (o) => o.customerId,
    discount_code: (o) => o.discountCodes,
    financial_status: (o) => o.financialStatus.toLowerCase(),
    status: (o) => (o.cancelledAt ? "cancelled" : "open"),
  },
  text: (o) => `${o.name} ${o.discountCodes.join(" ")}`,
};

export function orderView(context: RequestContext, order: OrderRecord) {
  const { state } = context;
  const currency = order.currencyCode;
  const current = sum([order.total, `-${order.refunded}`]);
  return {
    __typename: "Order",
    id: gid("Order", order.id),
    legacyResourceId: String(order.id),
    name: order.name,
    createdAt: order.createdAt,
    processedAt: order.processedAt,
    updatedAt: order.updatedAt,
    cancelledAt: order.cancelledAt,
    cancelReason: order.cancelReason,
    closed: false,
    test: false,
    sourceName: order.sourceName,
    currencyCode: currency,
    presentmentCurrencyCode: currency,
    displayFinancialStatus: order.financialStatus,
    discountCodes: order.discountCodes,
    discountCode: order.discountCodes[0] ?? null,
    totalPriceSet: moneyBag(order.total, currency),
    subtotalPriceSet: moneyBag(order.subtotal, currency),
    currentTotalPriceSet: moneyBag(current, currency),
    currentSubtotalPriceSet: moneyBag(order.subtotal, currency),
    totalRefundedSet: moneyBag(order.refunded, currency),
    totalDiscountsSet: moneyBag(order.totalDiscounts, currency),
    totalShippingPriceSet: moneyBag(order.shipping, currency),
    customer: () => {
      const customer = order.customerId === null ? undefined : state.customer(order.customerId);
      return customer ? customerView(context, customer) : null;
    },
    lineItems: (args: ConnectionArgs) =>
      connection("order.lineItems", order.lineItems, args, (item) => ({
        __typename: "LineItem",
        id: gid("LineItem", item.id),
        title: item.title,
        name: item.title,
        sku: item.sku,
        vendor: item.vendor,
        quantity: item.quantity,
        currentQuantity: order.cancelledAt ? 0 : item.quantity,
        originalUnitPriceSet: moneyBag(item.price, currency),
        discountedUnitPriceSet: moneyBag(item.price, currency),
        product: () => {
          const found = state.variant(item.variantId);
          return found ? productView(context, found.product) : null;
        },
        variant: () => {
          const found = state.variant(item.variantId);
          return found ? variantView(context, found.product, found.variant) : null;
        },
      })),
  };
}

// ── products ───────────────────────────────────────────────────────────────────────────────────

export const productSearch: SearchSpec<ProductRecord> = {
  fields: {
    id: (p) => p.id,
    title: (p) => p.title,
    handle: (p) => p.handle,
    status: (p) => p.status.toLowerCase(),
    product_type: (p) => p.productType,
    vendor: (p) => p.vendor,
    tag: (p) => p.tags,
    created_at: (p) => p.createdAt,
    updated_at: (p) => p.updatedAt,
    published_status: (p) => (p.publishedAt ? "published" : "unpublished"),
  },
  text: (p) => `${p.title} ${p.vendor} ${p.productType}`,
};

export function productView(context: RequestContext, product: ProductRecord) {
  const { state } = context;
  const currency = state.store.shop.currencyCode;
  const prices = product.variants.map((variant) => Number(variant.price));
  const image = product.imageUrl
    ? { __typename: "Image", id: gid("ImageSource", product.id), url: product.imageUrl, altText: product.title, width: 1024, height: 1024 }
    : null;
  return {
    __typename: "Product",
    id: gid("Product", product.id),
    legacyResourceId: String(product.id),
    title: product.title,
    handle: product.handle,
    productType: product.productType,
    vendor: product.vendor,
    tags: product.tags,
    status: product.status,
    createdAt: product.createdAt,
    updatedAt: product.updatedAt,
    publishedAt: product.publishedAt,
    onlineStoreUrl: product.publishedAt ? `https://${state.domain}/products/${product.handle}` : null,
    tracksInventory: product.variants.some((variant) => variant.tracked),
    totalInventory: product.variants.reduce((total, variant) => total + variant.inventoryQuantity, 0),
    featuredImage: image,
    featuredMedia: image && {
      __typename: "MediaImage",
      id: gid("MediaImage", product.id),
      alt: product.title,
      mediaContentType: "IMAGE",
      status: "READY",
      image,
      preview: { image, status: "READY" },
    },
    priceRangeV2: {
      minVariantPrice: money(Math.min(...prices).toFixed(2), currency),
      maxVariantPrice: money(Math.max(...prices).toFixed(2), currency),
    },
    collections: (args: ConnectionArgs) =>
      connection("product.collections", product.collections, args, (title) => ({
        __typename: "Collection",
        id: gid("Collection", collectionId(title)),
        title,
        handle: title.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
      })),
    variants: (args: ConnectionArgs) =>
      connection("product.variants", product.variants, args, (variant) => variantView(context, product, variant)),
  };
}

function collectionId(title: string): number {
  let hash = 0;
  for (const char of title) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return 400_000_000 + (hash % 100_000_000);
}

export function variantView(context: RequestContext, product: ProductRecord, variant: VariantRecord) {
  const currency = context.state.store.shop.currencyCode;
  return {
    __typename: "ProductVariant",
    id: gid("ProductVariant", variant.id),
    legacyResourceId: String(variant.id),
    title: variant.title,
    displayName: `${product.title} - ${variant.title}`,
    sku: variant.sku,
    price: variant.price,
    inventoryQuantity: variant.inventoryQuantity,
    availableForSale: product.status === "ACTIVE" && (!variant.tracked || variant.inventoryQuantity > 0),
    product: () => productView(context, product),
    inventoryItem: {
      __typename: "InventoryItem",
      id: gid("InventoryItem", variant.id),
      tracked: variant.tracked,
      sku: variant.sku,
      unitCost: variant.unitCost === null ? null : money(variant.unitCost, currency),
    },
  };
}

export const variantSearch: SearchSpec<{ product: ProductRecord; variant: VariantRecord }> = {
  fields: {
    id: ({ variant }) => variant.id,
    sku: ({ variant }) => variant.sku,
    product_id: ({ product }) => product.id,
    product_status: ({ product }) => product.status.toLowerCase(),
    inventory_quantity: ({ variant }) => variant.inventoryQuantity,
  },
  text: ({ product, variant }) => `${product.title} ${variant.title} ${variant.sku}`,
};

// ── shop ───────────────────────────────────────────────────────────────────────────────────────

export function shopView(context: RequestContext) {
  const shop = context.state.store.shop;
  const shopAddress = { ...address(shop.address), id: gid("ShopAddress", shop.id) };
  return {
    __typename: "Shop",
    id: gid("Shop", shop.id),
    name: shop.name,
    email: shop.email,
    contactEmail: shop.contactEmail,
    myshopifyDomain: shop.domain,
    ianaTimezone: shop.ianaTimezone,
    currencyCode: shop.currencyCode,
    url: `https://${shop.domain}`,
    primaryDomain: { id: gid("Domain", shop.id), host: shop.domain, url: `https://${shop.domain}`, sslEnabled: true },
    shopAddress,
    billingAddress: shopAddress,
    plan: { displayName: "Basic", publicDisplayName: "Basic", partnerDevelopment: false, shopifyPlus: false },
  };
}

// ── discounts ──────────────────────────────────────────────────────────────────────────────────

export function discountNodeView(context: RequestContext, discount: Discount) {
  const { state } = context;
  const currency = state.store.shop.currencyCode;
  const value = discount.value;
  const common = {
    title: discount.title,
    status: discountStatus(discount, state.now()),
    startsAt: discount.startsAt,
    endsAt: discount.endsAt,
    usageLimit: discount.usageLimit,
    appliesOncePerCustomer: discount.appliesOncePerCustomer,
    asyncUsageCount: discount.codes.reduce((total, code) => total + code.usageCount, 0),
    createdAt: discount.createdAt,
    updatedAt: discount.updatedAt,
    summary: discountSummary(discount, currency),
    shortSummary: discountSummary(discount, currency).split(" • ")[0],
    tags: discount.tags,
    hasTimelineComment: false,
    recurringCycleLimit: null,
    appliesOnOneTimePurchase: true,
    appliesOnSubscription: false,
    totalSales: null,
    shareableUrls: [],
    codesCount: { count: discount.codes.length, precision: "EXACT" },
    codes: (args: ConnectionArgs) =>
      connection("discount.codes", discount.codes, args, (code) => ({
        __typename: "DiscountRedeemCode",
        id: gid("DiscountRedeemCode", code.id),
        code: code.code,
        asyncUsageCount: code.usageCount,
        createdBy: null,
      })),
    combinesWith: { ...discount.combinesWith, productDiscountsWithTagsOnSameCartLine: [] },
    context:
      discount.eligibleCustomers === "all"
        ? { __typename: "DiscountBuyerSelectionAll", all: "ALL" }
        : {
            __typename: "DiscountCustomers",
            customers: () =>
              (discount.eligibleCustomers as number[]).flatMap((id) => {
                const customer = state.customer(id);
                return customer ? [customerView(context, customer)] : [];
              }),
          },
    minimumRequirement: discount.minimumSubtotal
      ? { __typename: "DiscountMinimumSubtotal", greaterThanOrEqualToSubtotal: money(discount.minimumSubtotal, currency) }
      : null,
  };
  const codeDiscount =
    value.kind === "freeShipping"
      ? {
          __typename: "DiscountCodeFreeShipping",
          ...common,
          discountClasses: ["SHIPPING"],
          destinationSelection: { __typename: "DiscountCountryAll", allCountries: true },
          maximumShippingPrice: value.maximumShippingPrice ? money(value.maximumShippingPrice, currency) : null,
        }
      : {
          __typename: "DiscountCodeBasic",
          ...common,
          discountClasses: ["ORDER"],
          customerGets: {
            appliesOnOneTimePurchase: true,
            appliesOnSubscription: false,
            items: { __typename: "AllDiscountItems", allItems: true },
            value:
              value.kind === "percentage"
                ? { __typename: "DiscountPercentage", percentage: value.percentage }
                : { __typename: "DiscountAmount", amount: money(value.amount, currency), appliesOnEachItem: value.appliesOnEachItem },
          },
        };
  return { __typename: "DiscountCodeNode", id: gid("DiscountCodeNode", discount.id), codeDiscount };
}

// ── lists with search ──────────────────────────────────────────────────────────────────────────

export function customersConnection(context: RequestContext, args: ConnectionArgs) {
  if (args !== BULK) requireSortKey(args.sortKey, ["ID", "RELEVANCE"]);
  const matches = args === BULK ? undefined : searched(context, "customers", args.query, customerSearch);
  return connection("customers", context.state.customerSequence(), args, (customer) => customerView(context, customer), matches);
}

/** Shop-wide orders; Shopify's default order is PROCESSED_AT. */
export function ordersConnection(context: RequestContext, args: ConnectionArgs) {
  const sortKey = args === BULK ? "ID" : args.sortKey === "RELEVANCE" || !args.sortKey ? "ID" : args.sortKey;
  requireSortKey(sortKey, ["ID", ...Object.keys(ORDER_SORT_FIELDS)]);
  const search = args === BULK ? undefined : searched(context, "orders", args.query, orderSearch);
  const matches = (order: OrderRecord) => orderVisible(context, order) && (!search || search(order));
  return connection(`orders:${sortKey}`, context.state.orderSequence(sortKey as "ID"), args, (order) => orderView(context, order), matches);
}

export function productsConnection(context: RequestContext, args: ConnectionArgs) {
  if (args !== BULK) requireSortKey(args.sortKey, ["ID", "RELEVANCE"]);
  const matches = args === BULK ? undefined : searched(context, "products", args.query, productSearch);
  return connection("products", context.state.store.products, args, (product) => productView(context, product), matches);
}

export function productVariantsConnection(context: RequestContext, args: ConnectionArgs) {
  if (args !== BULK) requireSortKey(args.sortKey, ["ID", "RELEVANCE"]);
  const all = context.state.store.products.flatMap((product) => product.variants.map((variant) => ({ product, variant })));
  const matches = args === BULK ? undefined : searched(context, "productVariants", args.query, variantSearch);
  return connection("productVariants", all, args, ({ product, variant }) => variantView(context, product, variant), matches);
}
