import { execute, inTransaction, queryRows, type Db } from "../db.server";

/**
 * Products picked for one customer, in SQL over the synced orders:
 *   1. bought together: products that share orders with what this customer bought, by how many
 *      orders across the shop contain both;
 *   2. similar: the same product type, vendor or a shared collection as something they bought;
 *   3. best sellers of the shop.
 * Never something they already bought, and only products on sale now (active, published,
 * available). Each pick says why, for the merchant's preview.
 */

export type RecommendationReason =
  | { kind: "bought_together"; withProductId: bigint; orders: number }
  | { kind: "similar"; toProductId: bigint }
  | { kind: "best_seller"; orders: number };

export interface Recommendation {
  productId: bigint;
  title: string;
  handle: string;
  imageUrl: string | null;
  price: string;
  reason: RecommendationReason;
}

/** Pairs and best sellers, recomputed per shop with the daily scores and after a back-fill. */
export async function refreshProductAffinity(shopId: number): Promise<void> {
  await inTransaction(async (client) => {
    await execute("DELETE FROM product_pairs WHERE shop_id = $1", [shopId], client);
    await execute(
      `INSERT INTO product_pairs (shop_id, product_id, related_id, orders)
       SELECT $1, a.id, b.id, count(*)
       FROM orders o, unnest(o.product_ids) AS a(id), unnest(o.product_ids) AS b(id)
       WHERE o.shop_id = $1 AND o.cancelled_at IS NULL AND a.id <> b.id
       GROUP BY a.id, b.id`,
      [shopId],
      client,
    );
    await execute(
      `WITH sold AS (
         SELECT item.id, count(*)::int AS orders
         FROM orders o, unnest(o.product_ids) AS item(id)
         WHERE o.shop_id = $1 AND o.cancelled_at IS NULL
         GROUP BY item.id
       )
       UPDATE products p SET orders_count = coalesce(sold.orders, 0)
       FROM products current LEFT JOIN sold ON sold.id = current.id
       WHERE current.shop_id = $1 AND p.shop_id = $1 AND p.id = current.id AND p.orders_count <> coalesce(sold.orders, 0)`,
      [shopId],
      client,
    );
  });
}

// Each source is read through an index and capped per product the customer bought (the
// strongest pairs, the best sellers of the same type, vendor or collection), so the cost follows
// what the customer bought, not the size of the catalogue.
const PER_SOURCE = 30;

/** One customer's picks; `customer` is the SQL expression of their id. */
const recommendFor = (customer: string) => `
  WITH bought AS (
    SELECT DISTINCT item.id
    FROM orders o, unnest(o.product_ids) AS item(id)
    WHERE o.shop_id = $1 AND o.customer_id = ${customer} AND o.cancelled_at IS NULL
  ), bought_products AS (
    SELECT p.id, p.product_type, p.vendor, p.collections FROM products p JOIN bought b ON b.id = p.id WHERE p.shop_id = $1
  ), together AS (
    SELECT pair.related_id AS id, 1 AS tier, sum(pair.orders)::float8 AS score,
           (array_agg(b.id ORDER BY pair.orders DESC, b.id))[1] AS because, max(pair.orders) AS orders
    FROM bought b CROSS JOIN LATERAL (
      SELECT pp.related_id, pp.orders FROM product_pairs pp
      WHERE pp.shop_id = $1 AND pp.product_id = b.id
      ORDER BY pp.orders DESC, pp.related_id LIMIT ${PER_SOURCE}
    ) pair
    GROUP BY pair.related_id
  ), alike AS (
    SELECT peer.id, 2 AS tier, count(*)::float8 AS score, min(bp.id) AS because, 0 AS orders
    FROM bought_products bp CROSS JOIN LATERAL (
      (SELECT p.id FROM products p
       WHERE p.shop_id = $1 AND bp.product_type <> '' AND p.product_type = bp.product_type AND p.status = 'ACTIVE' AND p.published AND p.available
       ORDER BY p.orders_count DESC, p.id LIMIT ${PER_SOURCE})
      UNION
      (SELECT p.id FROM products p
       WHERE p.shop_id = $1 AND bp.vendor <> '' AND p.vendor = bp.vendor AND p.status = 'ACTIVE' AND p.published AND p.available
       ORDER BY p.orders_count DESC, p.id LIMIT ${PER_SOURCE})
      UNION
      (SELECT p.id FROM products p
       WHERE p.shop_id = $1 AND p.collections && bp.collections AND p.status = 'ACTIVE' AND p.published AND p.available
       ORDER BY p.orders_count DESC, p.id LIMIT ${PER_SOURCE})
    ) peer
    GROUP BY peer.id
  ), best AS (
    SELECT p.id, 3 AS tier, p.orders_count::float8 AS score, NULL::bigint AS because, p.orders_count AS orders
    FROM products p
    WHERE p.shop_id = $1 AND p.status = 'ACTIVE' AND p.published AND p.available
    ORDER BY p.orders_count DESC, p.id
    LIMIT $3 + (SELECT count(*) FROM bought)
  ), candidates AS (
    SELECT DISTINCT ON (id) id, tier, score, because, orders
    FROM (SELECT * FROM together UNION ALL SELECT * FROM alike UNION ALL SELECT * FROM best) c
    ORDER BY id, tier, score DESC
  )
  SELECT p.id, p.title, p.handle, p.image_url, p.price::text AS price, c.tier, c.because, c.orders
  FROM candidates c JOIN products p ON p.shop_id = $1 AND p.id = c.id
  WHERE p.status = 'ACTIVE' AND p.published AND p.available
    AND NOT EXISTS (SELECT 1 FROM bought b WHERE b.id = p.id)
  ORDER BY c.tier, c.score DESC, p.orders_count DESC, p.id
  LIMIT $3`;

/**
 * Many customers in one statement (one plan, one round trip): $2 is the array of their ids. The
 * same picks as `recommendFor` for each of them, but what depends on a product alone (its
 * strongest pairs, its peers by type, vendor and collection) is read once per product the batch
 * bought, and the shop's best sellers once: customers of one shop share most of their products,
 * so a job of 50 reads each source once instead of once per customer who bought it.
 */
const RECOMMEND_SQL = `
  WITH bought AS (
    SELECT DISTINCT o.customer_id, item.id
    FROM orders o, unnest(o.product_ids) AS item(id)
    WHERE o.shop_id = $1 AND o.customer_id = ANY($2::bigint[]) AND o.cancelled_at IS NULL
  ), bought_counts AS (
    SELECT customer.id AS customer_id, count(b.id) AS bought
    FROM unnest($2::bigint[]) AS customer(id) LEFT JOIN bought b ON b.customer_id = customer.id
    GROUP BY customer.id
  ), products_bought AS (
    SELECT p.id, p.product_type, p.vendor, p.collections FROM products p WHERE p.shop_id = $1 AND p.id IN (SELECT id FROM bought)
  ), pairs AS (
    SELECT d.id AS product_id, pair.related_id, pair.orders
    FROM (SELECT DISTINCT id FROM bought) d CROSS JOIN LATERAL (
      SELECT pp.related_id, pp.orders FROM product_pairs pp
      WHERE pp.shop_id = $1 AND pp.product_id = d.id
      ORDER BY pp.orders DESC, pp.related_id LIMIT ${PER_SOURCE}
    ) pair
  ), together AS (
    SELECT b.customer_id, pr.related_id AS id, 1 AS tier, sum(pr.orders)::float8 AS score,
           (array_agg(b.id ORDER BY pr.orders DESC, b.id))[1] AS because, max(pr.orders) AS orders
    FROM bought b JOIN pairs pr ON pr.product_id = b.id
    GROUP BY b.customer_id, pr.related_id
  ), peers AS (
    SELECT bp.id AS product_id, peer.id
    FROM products_bought bp CROSS JOIN LATERAL (
      (SELECT p.id FROM products p
       WHERE p.shop_id = $1 AND bp.product_type <> '' AND p.product_type = bp.product_type AND p.status = 'ACTIVE' AND p.published AND p.available
       ORDER BY p.orders_count DESC, p.id LIMIT ${PER_SOURCE})
      UNION
      (SELECT p.id FROM products p
       WHERE p.shop_id = $1 AND bp.vendor <> '' AND p.vendor = bp.vendor AND p.status = 'ACTIVE' AND p.published AND p.available
       ORDER BY p.orders_count DESC, p.id LIMIT ${PER_SOURCE})
      UNION
      (SELECT p.id FROM products p
       WHERE p.shop_id = $1 AND p.collections && bp.collections AND p.status = 'ACTIVE' AND p.published AND p.available
       ORDER BY p.orders_count DESC, p.id LIMIT ${PER_SOURCE})
    ) peer
  ), alike AS (
    SELECT b.customer_id, pe.id, 2 AS tier, count(*)::float8 AS score, min(b.id) AS because, 0 AS orders
    FROM bought b JOIN peers pe ON pe.product_id = b.id
    GROUP BY b.customer_id, pe.id
  ), best_sellers AS (
    SELECT p.id, p.orders_count, row_number() OVER (ORDER BY p.orders_count DESC, p.id) AS position
    FROM products p
    WHERE p.shop_id = $1 AND p.status = 'ACTIVE' AND p.published AND p.available
    ORDER BY p.orders_count DESC, p.id
    LIMIT $3 + (SELECT max(bought) FROM bought_counts)
  ), best AS (
    SELECT c.customer_id, s.id, 3 AS tier, s.orders_count::float8 AS score, NULL::bigint AS because, s.orders_count AS orders
    FROM bought_counts c JOIN best_sellers s ON s.position <= $3 + c.bought
  ), candidates AS (
    SELECT DISTINCT ON (customer_id, id) customer_id, id, tier, score, because, orders
    FROM (SELECT * FROM together UNION ALL SELECT * FROM alike UNION ALL SELECT * FROM best) c
    ORDER BY customer_id, id, tier, score DESC
  ), ranked AS (
    SELECT c.customer_id, p.id, p.title, p.handle, p.image_url, p.price::text AS price, c.tier, c.because, c.orders,
           row_number() OVER (PARTITION BY c.customer_id ORDER BY c.tier, c.score DESC, p.orders_count DESC, p.id) AS position
    FROM candidates c JOIN products p ON p.shop_id = $1 AND p.id = c.id
    WHERE p.status = 'ACTIVE' AND p.published AND p.available
      AND NOT EXISTS (SELECT 1 FROM bought b WHERE b.customer_id = c.customer_id AND b.id = p.id)
  )
  SELECT customer_id, id, title, handle, image_url, price, tier, because, orders FROM ranked
  WHERE position <= $3
  ORDER BY customer_id, position`;

/**
 * The rule applied to each customer on its own (`recommendFor`), next to the batch statement: a
 * test checks that both pick the same, in the same order, for every customer of a shop.
 */
export const RECOMMEND_SQL_FOR_TESTS = {
  batch: RECOMMEND_SQL,
  oneByOne: `
    SELECT customer.id AS customer_id, pick.*
    FROM unnest($2::bigint[]) AS customer(id)
    CROSS JOIN LATERAL (${recommendFor("customer.id")}) pick`,
};

interface ProductRow {
  id: string;
  title: string;
  handle: string;
  imageUrl: string | null;
  price: string;
}

interface PickRow extends ProductRow {
  customerId: string;
  tier: number;
  because: string | null;
  orders: number;
}

const productOf = (row: ProductRow): Omit<Recommendation, "reason"> => ({
  productId: BigInt(row.id),
  title: row.title,
  handle: row.handle,
  imageUrl: row.imageUrl,
  price: row.price,
});

function reasonOf(row: PickRow): RecommendationReason {
  if (row.tier === 1) return { kind: "bought_together", withProductId: BigInt(row.because!), orders: row.orders };
  if (row.tier === 2) return { kind: "similar", toProductId: BigInt(row.because!) };
  return { kind: "best_seller", orders: row.orders };
}

/** Up to `limit` (≤ 10) picks for each of these customers, best first; every customer has an entry. */
export async function recommendProductsFor(
  shopId: number,
  customerIds: bigint[],
  limit: number,
  deps: { db?: Db } = {},
): Promise<Map<bigint, Recommendation[]>> {
  const picks = new Map<bigint, Recommendation[]>(customerIds.map((id) => [id, []]));
  if (limit <= 0 || customerIds.length === 0) return picks;
  const rows = await queryRows<PickRow>(RECOMMEND_SQL, [shopId, [...new Set(customerIds.map(String))], Math.min(limit, 10)], deps.db);
  for (const row of rows) picks.get(BigInt(row.customerId))!.push({ ...productOf(row), reason: reasonOf(row) });
  return picks;
}

export async function recommendProducts(
  shopId: number,
  customerId: bigint,
  limit: number,
  deps: { db?: Db } = {},
): Promise<Recommendation[]> {
  return (await recommendProductsFor(shopId, [customerId], limit, deps)).get(customerId)!;
}

/** The products of the customer's latest live order, as they are now ({{ last_order.products }}). */
export async function lastOrderProducts(
  shopId: number,
  customerId: bigint,
  deps: { db?: Db } = {},
): Promise<Omit<Recommendation, "reason">[]> {
  const rows = await queryRows<ProductRow>(
    `SELECT p.id, p.title, p.handle, p.image_url, p.price::text AS price
     FROM (SELECT product_ids FROM orders WHERE shop_id = $1 AND customer_id = $2 AND cancelled_at IS NULL ORDER BY created_at DESC LIMIT 1) last,
          unnest(last.product_ids) WITH ORDINALITY AS item(id, position)
     JOIN products p ON p.shop_id = $1 AND p.id = item.id
     ORDER BY item.position`,
    [shopId, String(customerId)],
    deps.db,
  );
  return rows.map(productOf);
}
