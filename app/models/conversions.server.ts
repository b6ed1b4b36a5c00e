import { execute, queryRow, type Db } from "../db.server";
import type { ExitReason } from "../domain/step-decision";

/**
 * What an order means for the customer's active enrollments, decided in one statement from the
 * synced orders (so a repeated or late webhook decides the same):
 * - an order that used one of the enrollment's codes: converted (always);
 * - an order within the attribution window after a click: converted;
 * - a holdout customer's order within the window their contacted peers have (the last step's
 *   delay plus the attribution window): a holdout conversion;
 * - any other order since entry: exited, "ordered on their own".
 * The first qualifying order is the conversion; revenue is read from it when reported, so its
 * refunds and a cancellation count. A cancelled order decides nothing.
 */
export async function settleOrders(
  shopId: number,
  customerIds: bigint[] | null,
  { now = new Date() }: { now?: Date } = {},
): Promise<{ converted: number; exited: number }> {
  const settled = await queryRow<{ converted: string; exited: string }>(
    `WITH active AS (
       SELECT e.id, e.customer_id, e.holdout, e.entered_at, e.last_clicked_at,
              make_interval(days => (ca.settings->>'attributionWindowDays')::int) AS window,
              make_interval(hours => (ca.settings->'steps'->-1->>'delayHours')::int) AS last_step_delay
       FROM enrollments e JOIN campaigns ca ON ca.shop_id = e.shop_id AND ca.id = e.campaign_id
       WHERE e.shop_id = $1 AND e.status = 'active' AND ($2::bigint[] IS NULL OR e.customer_id = ANY($2::bigint[]))
     ), outcome AS (
       SELECT DISTINCT ON (a.id) a.id, o.id AS order_id,
              CASE
                WHEN EXISTS (SELECT 1 FROM discount_codes d, unnest(o.discount_codes) AS used(code)
                             WHERE d.shop_id = $1 AND d.enrollment_id = a.id AND upper(used.code) = d.code) THEN 'converted'
                WHEN NOT a.holdout AND a.last_clicked_at IS NOT NULL AND o.created_at >= a.last_clicked_at AND o.created_at <= a.last_clicked_at + a.window THEN 'converted'
                WHEN a.holdout AND o.created_at <= a.entered_at + a.last_step_delay + a.window THEN 'converted'
                ELSE 'exited'
              END AS status
       FROM active a
       JOIN orders o ON o.shop_id = $1 AND o.customer_id = a.customer_id AND o.created_at > a.entered_at AND o.cancelled_at IS NULL
       ORDER BY a.id, o.created_at, o.id
     ), settled AS (
       UPDATE enrollments e SET
         status = outcome.status,
         exit_reason = CASE WHEN outcome.status = 'exited' THEN 'ordered_on_their_own' ELSE e.exit_reason END,
         converted_at = CASE WHEN outcome.status = 'converted' THEN $3::timestamptz END,
         conversion_order_id = CASE WHEN outcome.status = 'converted' THEN outcome.order_id END,
         ended_at = $3, next_step = NULL, next_step_due_at = NULL, updated_at = now()
       FROM outcome
       WHERE e.id = outcome.id AND e.status = 'active'
       RETURNING e.status
     )
     SELECT count(*) FILTER (WHERE status = 'converted') AS converted, count(*) FILTER (WHERE status = 'exited') AS exited FROM settled`,
    [shopId, customerIds?.map(String) ?? null, now],
  );
  return { converted: Number(settled!.converted), exited: Number(settled!.exited) };
}

/** Active enrollments of these customers end: the customer unsubscribed, started a checkout, or was redacted. */
export async function exitEnrollments(
  shopId: number,
  customerIds: bigint[],
  reason: ExitReason | "redacted",
  { includeHoldout }: { includeHoldout: boolean },
  { db, now = new Date() }: { db?: Db; now?: Date } = {},
): Promise<number> {
  return execute(
    `UPDATE enrollments SET status = 'exited', exit_reason = $3, ended_at = $4, next_step = NULL, next_step_due_at = NULL, updated_at = now()
     WHERE shop_id = $1 AND customer_id = ANY($2::bigint[]) AND status = 'active' AND ($5 OR NOT holdout)`,
    [shopId, customerIds.map(String), reason, now, includeHoldout],
    db,
  );
}

/**
 * No more e-mails for these customers' sequences (a checkout: recovery has priority), while the
 * enrollment stays open so an order with its code still converts; it ends with the window.
 */
export async function stopSends(shopId: number, customerIds: bigint[], reason: "checkout_started"): Promise<number> {
  return execute(
    `UPDATE enrollments SET exit_reason = $3, next_step = NULL, next_step_due_at = NULL, updated_at = now()
     WHERE shop_id = $1 AND customer_id = ANY($2::bigint[]) AND status = 'active' AND NOT holdout AND exit_reason IS NULL`,
    [shopId, customerIds.map(String), reason],
  );
}
