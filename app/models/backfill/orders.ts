import type { BackfillOrdersQuery } from "../../types/admin.generated";
import { numericId, type BackfillPhaseImport, type ChildLine, type JsonlLine, type PhaseBatch, type RootLine } from "./phase";

/** The orders phase: every order with its totals, codes and the products of its line items. */

const BULK_QUERY = `#graphql
  query BackfillOrders {
    orders {
      edges {
        node {
          id
          createdAt
          updatedAt
          cancelledAt
          customer { id }
          totalPriceSet { shopMoney { amount currencyCode } }
          totalRefundedSet { shopMoney { amount } }
          discountCodes
          lineItems { edges { node { product { id } } } }
        }
      }
    }
  }`;

type OrderNode = BackfillOrdersQuery["orders"]["edges"][number]["node"];
type OrderLine = RootLine<OrderNode, "lineItems">;
type LineItemLine = ChildLine<OrderNode["lineItems"]["edges"][number]["node"]>;

class OrdersBatch implements PhaseBatch {
  private orders: OrderLine[] = [];
  private productsOf = new Map<string, Set<string>>();

  get roots(): number {
    return this.orders.length;
  }

  add(line: JsonlLine): void {
    if (!line.__parentId) {
      const order = line as OrderLine;
      this.orders.push(order);
      this.productsOf.set(order.id, new Set());
      return;
    }
    const item = line as LineItemLine;
    const productId = numericId(item.product?.id);
    if (productId) this.productsOf.get(item.__parentId)?.add(productId);
  }

  *rows(): Iterable<unknown[]> {
    for (const order of this.orders) {
      const total = order.totalPriceSet.shopMoney;
      yield [
        numericId(order.id),
        numericId(order.customer?.id),
        order.createdAt,
        total.amount,
        order.totalRefundedSet?.shopMoney.amount ?? "0",
        total.currencyCode,
        order.discountCodes ?? [],
        [...(this.productsOf.get(order.id) ?? [])],
        order.cancelledAt ?? null,
        order.updatedAt,
      ];
    }
  }
}

export const ordersPhase: BackfillPhaseImport = {
  bulkQuery: BULK_QUERY,
  target: {
    table: "orders",
    columns:
      "shop_id, id, customer_id, created_at, total, refunded, currency, discount_codes, product_ids, cancelled_at, shopify_updated_at",
    onConflict: `DO UPDATE SET
      customer_id = EXCLUDED.customer_id, total = EXCLUDED.total, refunded = EXCLUDED.refunded, currency = EXCLUDED.currency,
      discount_codes = EXCLUDED.discount_codes, product_ids = EXCLUDED.product_ids, cancelled_at = EXCLUDED.cancelled_at,
      shopify_updated_at = EXCLUDED.shopify_updated_at
    WHERE orders.shopify_updated_at IS NULL OR orders.shopify_updated_at <= EXCLUDED.shopify_updated_at`,
    counter: "orders_imported",
  },
  newBatch: () => new OrdersBatch(),
};
