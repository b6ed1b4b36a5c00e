import { execute, inTransaction } from "../db.server";

/**
 * Customers' order aggregates, always derived from `orders` in one set-based statement, for the
 * whole shop (after a back-fill) or a few customers (after a webhook). Cancelled orders do not
 * count: orders count, net spend (total − refunded), first/last order time, the median gap
 * between consecutive orders (from 3 orders up) and how many orders fell in each UTC hour.
 */

const HOURS = Array.from(
  { length: 24 },
  (_, hour) => `count(*) FILTER (WHERE extract(hour FROM created_at AT TIME ZONE 'UTC') = ${hour})`,
).join(", ");

// $2 is null for the whole shop, or the customer ids to refresh. Filters apply directly to each
// table (no id list joined against orders), so the plan stays a hash join at any size.
const REFRESH = `
  WITH live AS (
    SELECT customer_id, created_at, total - refunded AS net, currency
    FROM orders
    WHERE shop_id = $1 AND cancelled_at IS NULL AND customer_id IS NOT NULL
      AND ($2::bigint[] IS NULL OR customer_id = ANY($2::bigint[]))
  ), totals AS (
    SELECT customer_id, count(*) AS orders_count, sum(net) AS spent, min(created_at) AS first_at,
           max(created_at) AS last_at, max(currency) AS currency, ARRAY[${HOURS}]::int[] AS hours
    FROM live GROUP BY customer_id
  ), gaps AS (
    SELECT customer_id,
           extract(epoch FROM created_at - lag(created_at) OVER (PARTITION BY customer_id ORDER BY created_at)) / 86400 AS gap
    FROM live
  ), medians AS (
    SELECT customer_id, percentile_cont(0.5) WITHIN GROUP (ORDER BY gap) AS median
    FROM gaps WHERE gap IS NOT NULL GROUP BY customer_id HAVING count(*) >= 2
  ), target AS (
    SELECT c.id, coalesce(t.orders_count, 0) AS orders_count, coalesce(t.spent, 0) AS spent, t.currency,
           t.first_at, t.last_at, m.median, t.hours
    FROM customers c
    LEFT JOIN totals t ON t.customer_id = c.id
    LEFT JOIN medians m ON m.customer_id = c.id
    WHERE c.shop_id = $1 AND ($2::bigint[] IS NULL OR c.id = ANY($2::bigint[]))
  )
  UPDATE customers c SET
    orders_count = t.orders_count,
    total_spent = t.spent,
    currency = coalesce(t.currency, c.currency),
    first_order_at = t.first_at,
    last_order_at = t.last_at,
    median_gap_days = t.median,
    order_hours = t.hours,
    updated_at = now()
  FROM target t
  WHERE c.shop_id = $1 AND c.id = t.id
    AND (c.orders_count, c.total_spent, c.first_order_at, c.last_order_at, c.median_gap_days, c.order_hours)
        IS DISTINCT FROM (t.orders_count, t.spent, t.first_at, t.last_at, t.median, t.hours)`;

/** Advisory lock namespace (first key) for per-shop aggregate refreshes. */
const AGGREGATES_LOCK = 0x77_62_61_67; // "wbag"

/**
 * Recomputes aggregates for the given customers, or for every customer of the shop; returns rows changed.
 *
 * The statement computes from its snapshot and then writes, so two refreshes of one customer
 * running at once could write the older result last. Refreshes of a few customers therefore lock
 * those rows first (the statement after the lock sees every order committed before it), and
 * hold the shop's lock shared; the whole-shop refresh holds it exclusively, so no webhook's
 * refresh is overwritten by a minute-long pass that started before its order arrived.
 */
export async function refreshCustomerAggregates(shopId: number, customerIds: bigint[] | "all"): Promise<number> {
  if (customerIds !== "all" && customerIds.length === 0) return 0;
  return inTransaction(async (client) => {
    if (customerIds === "all") {
      await execute("SELECT pg_advisory_xact_lock($1, $2)", [AGGREGATES_LOCK, shopId], client);
    } else {
      await execute("SELECT pg_advisory_xact_lock_shared($1, $2)", [AGGREGATES_LOCK, shopId], client);
      await execute(
        "SELECT 1 FROM customers WHERE shop_id = $1 AND id = ANY($2::bigint[]) ORDER BY id FOR UPDATE",
        [shopId, customerIds.map(String)],
        client,
      );
    }
    return execute(REFRESH, [shopId, customerIds === "all" ? null : customerIds.map(String)], client);
  });
}
