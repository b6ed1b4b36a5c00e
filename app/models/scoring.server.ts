import { execute, queryRows } from "../db.server";
import { MIN_BUYERS_FOR_SCORES } from "../domain/rfm";
import { refreshAudienceSummary } from "./audience-summary.server";

/**
 * R/F/M scores for every customer of a shop in one statement (app/domain/rfm.ts has the rule):
 * min(5, 1 + floor(5 × percent_rank)) over last order time, orders count and net spend. Customers
 * without orders, and every customer of a shop with fewer than MIN_BUYERS_FOR_SCORES buyers, get
 * no scores. Only rows whose scores change are written, so the daily run is cheap.
 */
const SCORE = `
  WITH buyers AS (
    SELECT id, last_order_at, orders_count, total_spent FROM customers WHERE shop_id = $1 AND orders_count > 0
  ), enough AS (
    SELECT count(*) >= $2 AS ok FROM buyers
  ), ranked AS (
    SELECT id,
           least(5, 1 + floor(5 * percent_rank() OVER (ORDER BY last_order_at)))::smallint AS r,
           least(5, 1 + floor(5 * percent_rank() OVER (ORDER BY orders_count)))::smallint AS f,
           least(5, 1 + floor(5 * percent_rank() OVER (ORDER BY total_spent)))::smallint AS m
    FROM buyers
  ), target AS (
    SELECT c.id,
           CASE WHEN e.ok THEN r.r END AS r, CASE WHEN e.ok THEN r.f END AS f, CASE WHEN e.ok THEN r.m END AS m
    FROM customers c CROSS JOIN enough e LEFT JOIN ranked r ON r.id = c.id
    WHERE c.shop_id = $1
  )
  UPDATE customers c SET r_score = t.r, f_score = t.f, m_score = t.m, updated_at = now()
  FROM target t
  WHERE c.shop_id = $1 AND c.id = t.id AND (c.r_score, c.f_score, c.m_score) IS DISTINCT FROM (t.r, t.f, t.m)`;

export async function scoreShop(shopId: number): Promise<{ changed: number }> {
  const changed = await execute(SCORE, [shopId, MIN_BUYERS_FOR_SCORES]);
  await execute("UPDATE shops SET scored_at = now() WHERE id = $1", [shopId]);
  await refreshAudienceSummary(shopId);
  return { changed };
}

/** Installed shops, for the daily scoring run. */
export async function installedShopIds(): Promise<number[]> {
  const rows = await queryRows<{ id: number }>("SELECT id FROM shops WHERE uninstalled_at IS NULL ORDER BY id");
  return rows.map((row) => row.id);
}
