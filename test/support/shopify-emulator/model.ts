/**
 * The emulated store's records: what Shopify holds for a shop, in the shape the emulator's
 * GraphQL resolvers and REST webhook payloads are built from. Ids are Shopify's numeric ids
 * (below 2^53); the GraphQL layer turns them into gid://shopify/<Type>/<id>.
 */

/** Money as Shopify sends amounts: a decimal string with two decimals, e.g. "19.95". */
export type Decimal = string;
/** An ISO-8601 UTC timestamp, e.g. "2026-11-20T12:00:00.000Z". */
export type Timestamp = string;

export type MarketingState = "SUBSCRIBED" | "NOT_SUBSCRIBED" | "PENDING" | "UNSUBSCRIBED" | "INVALID";
export type MarketingOptInLevel = "SINGLE_OPT_IN" | "CONFIRMED_OPT_IN" | "UNKNOWN";
export type RfmGroup =
  | "ACTIVE"
  | "ALMOST_LOST"
  | "AT_RISK"
  | "CHAMPIONS"
  | "DORMANT"
  | "LOYAL"
  | "NEEDS_ATTENTION"
  | "NEW"
  | "PREVIOUSLY_LOYAL"
  | "PROMISING"
  | "PROSPECTS";
export type PredictedSpendTier = "HIGH" | "MEDIUM" | "LOW";

export interface AddressRecord {
  company: string | null;
  address1: string;
  address2: string | null;
  city: string;
  province: string | null;
  provinceCode: string | null;
  zip: string;
  country: string;
  countryCodeV2: string;
}

export interface ShopRecord {
  /** The permanent *.myshopify.com domain. */
  domain: string;
  id: number;
  name: string;
  email: string;
  contactEmail: string;
  ianaTimezone: string;
  currencyCode: string;
  address: AddressRecord;
}

export interface VariantRecord {
  id: number;
  title: string;
  sku: string;
  price: Decimal;
  /** InventoryItem.unitCost; null when the merchant never entered a cost. */
  unitCost: Decimal | null;
  inventoryQuantity: number;
  tracked: boolean;
}

export interface ProductRecord {
  id: number;
  title: string;
  handle: string;
  productType: string;
  vendor: string;
  tags: string[];
  /** Titles of the collections the product belongs to. */
  collections: string[];
  status: "ACTIVE" | "DRAFT" | "ARCHIVED";
  /** Null when unpublished from the online store. */
  publishedAt: Timestamp | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  imageUrl: string | null;
  variants: VariantRecord[];
}

export interface CustomerRecord {
  id: number;
  firstName: string;
  lastName: string;
  email: string;
  phone: string | null;
  /** BCP-47, e.g. "es-ES". */
  locale: string;
  /** Where the customer lives (IANA). Not an Admin API field: it shapes when they place orders. */
  timezone: string;
  defaultAddress: AddressRecord;
  marketingState: MarketingState;
  marketingOptInLevel: MarketingOptInLevel | null;
  marketingUpdatedAt: Timestamp | null;
  state: "ENABLED" | "DISABLED" | "INVITED" | "DECLINED";
  verifiedEmail: boolean;
  tags: string[];
  /** Shopify's own customer statistics (CustomerStatistics). */
  rfmGroup: RfmGroup | null;
  predictedSpendTier: PredictedSpendTier | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface LineItemRecord {
  id: number;
  productId: number;
  variantId: number;
  title: string;
  sku: string;
  vendor: string;
  quantity: number;
  /** Unit price before discounts. */
  price: Decimal;
}

export interface OrderRecord {
  id: number;
  /** "#1001"-style display name. */
  name: string;
  customerId: number | null;
  createdAt: Timestamp;
  processedAt: Timestamp;
  updatedAt: Timestamp;
  currencyCode: string;
  lineItems: LineItemRecord[];
  /** Sum of line items at unit price × quantity, before discounts. */
  lineItemsTotal: Decimal;
  totalDiscounts: Decimal;
  /** lineItemsTotal − totalDiscounts. */
  subtotal: Decimal;
  shipping: Decimal;
  /** subtotal + shipping (taxes included in prices). */
  total: Decimal;
  discountCodes: string[];
  cancelledAt: Timestamp | null;
  cancelReason: "CUSTOMER" | "DECLINED" | "FRAUD" | "INVENTORY" | "OTHER" | "STAFF" | null;
  /** Total refunded so far (the whole total when cancelled after payment). */
  refunded: Decimal;
  financialStatus: "PAID" | "PARTIALLY_REFUNDED" | "REFUNDED" | "VOIDED" | "PENDING";
  sourceName: string;
}

/** A customer with their whole order history, oldest order first. */
export interface CustomerHistory {
  index: number;
  customer: CustomerRecord;
  orders: OrderRecord[];
}

export interface StoreOptions {
  /** Same seed, same options → the same store, record for record. */
  seed: string | number;
  customers: number;
  /** Catalogue size (default 120). */
  products?: number;
  /** The store's "now": histories end here (default 2026-11-20T12:00:00Z). */
  now?: Date;
  /** The shop's subdomain: <name>.myshopify.com (default "winback-demo"). */
  shopName?: string;
  currencyCode?: string;
}

/**
 * A synthetic store. Customers are generated on demand from (seed, index), independently of one
 * another, so a million-customer store is streamed or read at random without being held in memory.
 */
export interface GeneratedStore {
  readonly options: Required<Omit<StoreOptions, "now">> & { now: Date };
  readonly shop: ShopRecord;
  /** The whole catalogue (small; held in memory). */
  readonly products: readonly ProductRecord[];
  readonly customerCount: number;
  /** Customer id for an index in [0, customerCount); the inverse is customerIndex. */
  customerId(index: number): number;
  /** The index of a customer id of this store, or undefined. */
  customerIndex(id: number): number | undefined;
  /** One customer and their orders; O(size of that history), deterministic. */
  history(index: number): CustomerHistory;
  /** Where an order id of this store lives: its customer's index and its position in their orders. */
  orderLocation(orderId: number): { index: number; position: number } | undefined;
  /** Every customer in index order, one at a time (bounded memory). */
  histories(): Iterable<CustomerHistory>;
}
