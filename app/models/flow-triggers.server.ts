import { z } from "zod";
import { pool } from "../db.server";
import { FLOW_TRIGGERS, flowPayload, type FlowTriggerKind } from "../domain/flow-triggers";
import type { AdminQuery } from "./shopify-admin.server";

/**
 * Shopify Flow triggers (extensions/winback-customer-*): for a shop that turned them on, every
 * enrollment's entry, conversion and exit since then becomes one `flow_events` row, fired once
 * with `flowTriggerReceive`. Rows are claimed (pending → sending) before the call: a retried job
 * fires what is still pending, never a row twice; a worker that dies mid-call leaves its row
 * `sending` (at most once, as for e-mails).
 */

const flowSettingsSchema = z.object({ enabled: z.boolean(), since: z.iso.datetime({ offset: true }) });

/** Whether the shop turned Flow triggers on, and since when (events before that are not sent). */
export function flowSettingsOf(settings: unknown): { enabled: boolean; since: Date | null } {
  const parsed = flowSettingsSchema.safeParse((settings as { flow?: unknown } | null)?.flow);
  return parsed.success && parsed.data.enabled ? { enabled: true, since: new Date(parsed.data.since) } : { enabled: false, since: null };
}

export async function setFlowTriggers(shopId: number, enabled: boolean, now: Date = new Date()): Promise<void> {
  await pool.query(
    `UPDATE shops SET settings = jsonb_set(settings, '{flow}', $2::jsonb), updated_at = now()
     WHERE id = $1 AND (settings->'flow'->>'enabled')::boolean IS DISTINCT FROM $3`,
    [shopId, JSON.stringify({ enabled, since: now.toISOString() }), enabled],
  );
}

/** Shops with Flow triggers on, for the engine's minute job. */
export async function shopsWithFlowTriggers(): Promise<{ id: number; domain: string }[]> {
  const { rows } = await pool.query<{ id: number; domain: string }>(
    "SELECT id, domain FROM shops WHERE uninstalled_at IS NULL AND (settings->'flow'->>'enabled')::boolean ORDER BY id",
  );
  return rows;
}

/** One row per transition since the shop turned Flow on that has none yet (one statement). */
export async function recordFlowEvents(shopId: number): Promise<number> {
  const { rowCount } = await pool.query(
    `INSERT INTO flow_events (shop_id, enrollment_id, kind)
     SELECT e.shop_id, e.id, t.kind
     FROM shops s
     JOIN enrollments e ON e.shop_id = s.id
     CROSS JOIN LATERAL (VALUES ('entered', e.entered_at),
                                ('converted', CASE WHEN e.status = 'converted' THEN e.converted_at END),
                                ('exited', CASE WHEN e.status = 'exited' THEN e.ended_at END)) AS t(kind, at)
     WHERE s.id = $1 AND (s.settings->'flow'->>'enabled')::boolean AND t.at >= (s.settings->'flow'->>'since')::timestamptz
     ON CONFLICT (enrollment_id, kind) DO NOTHING`,
    [shopId],
  );
  return rowCount ?? 0;
}

const FIRE = `#graphql
  mutation FireFlowTrigger($handle: String!, $payload: JSON!) {
    flowTriggerReceive(handle: $handle, payload: $payload) {
      userErrors { field message }
    }
  }`;

interface ClaimedEvent {
  id: string;
  kind: FlowTriggerKind;
  customer_id: string;
  campaign_name: string;
  holdout: boolean;
  last_step_sent: number;
  conversion_order_id: string | null;
  exit_reason: string | null;
  code: string | null;
  revenue: string | null;
}

/** Fires up to `limit` pending events of the shop; a throttled or failed call puts its event back and throws (the job retries). */
export async function fireFlowEvents(admin: AdminQuery, shop: { id: number; domain: string }, limit = 50): Promise<{ sent: number; refused: number }> {
  const { rows } = await pool.query<ClaimedEvent>(
    `WITH claimed AS (
       UPDATE flow_events f SET status = 'sending', attempts = attempts + 1
       WHERE f.id IN (SELECT id FROM flow_events WHERE shop_id = $1 AND status = 'pending' ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING f.id, f.kind, f.enrollment_id
     )
     SELECT c.id, c.kind, e.customer_id, ca.settings->>'name' AS campaign_name, e.holdout, e.last_step_sent, e.conversion_order_id, e.exit_reason,
            used.code, CASE WHEN o.cancelled_at IS NULL THEN o.total - o.refunded ELSE 0 END AS revenue
     FROM claimed c
     JOIN enrollments e ON e.id = c.enrollment_id AND e.shop_id = $1
     JOIN campaigns ca ON ca.id = e.campaign_id
     LEFT JOIN orders o ON c.kind = 'converted' AND o.shop_id = e.shop_id AND o.id = e.conversion_order_id
     LEFT JOIN LATERAL (
       SELECT d.code FROM discount_codes d WHERE d.enrollment_id = e.id AND d.code = ANY(SELECT upper(v) FROM unnest(o.discount_codes) v) LIMIT 1
     ) used ON true
     ORDER BY c.id`,
    [shop.id, limit],
  );
  let sent = 0;
  let refused = 0;
  for (const [index, event] of rows.entries()) {
    const payload = flowPayload(event.kind, {
      customerId: BigInt(event.customer_id),
      campaignName: event.campaign_name,
      holdout: event.holdout,
      lastStepSent: event.last_step_sent,
      orderId: event.conversion_order_id === null ? null : BigInt(event.conversion_order_id),
      code: event.code,
      orderRevenue: event.revenue === null ? null : Number(event.revenue),
      exitReason: event.exit_reason,
    });
    let errors: { message: string }[];
    try {
      const answer = await admin<{ flowTriggerReceive: { userErrors: { message: string }[] } }>(shop.domain, FIRE, { handle: FLOW_TRIGGERS[event.kind].handle, payload });
      errors = answer.flowTriggerReceive.userErrors;
    } catch (error) {
      // Not fired: this one and the rest go back to pending for the retry.
      await pool.query("UPDATE flow_events SET status = 'pending' WHERE shop_id = $1 AND id = ANY($2::bigint[]) AND status = 'sending'", [
        shop.id,
        rows.slice(index).map((row) => row.id),
      ]);
      throw error;
    }
    const failed = errors.length > 0;
    await pool.query("UPDATE flow_events SET status = $3, sent_at = CASE WHEN $3 = 'sent' THEN now() END, error = $4 WHERE shop_id = $1 AND id = $2", [
      shop.id,
      event.id,
      failed ? "failed" : "sent",
      failed ? errors.map((error) => error.message).join("; ").slice(0, 500) : null,
    ]);
    if (failed) refused++;
    else sent++;
  }
  return { sent, refused };
}
