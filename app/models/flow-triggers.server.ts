import { z } from "zod";
import { execute, queryRow, queryRows, type Db } from "../db.server";
import { FLOW_TRIGGERS, flowPayload, type FlowTriggerKind } from "../domain/flow-triggers";
import { orderRevenue, usedCodeJoin } from "./results.server";
import { ShopifyThrottledError, type AdminQuery } from "./shopify-admin.server";

/**
 * Shopify Flow triggers (extensions/winback-customer-*): for a shop that turned them on, every
 * enrollment's entry, conversion and exit since then becomes one `flow_events` row, fired at most
 * once with `flowTriggerReceive` (as e-mails: a call whose outcome is unknown is not repeated).
 * Exits of customers who are gone (deleted, redacted) and of a deleted campaign fire nothing.
 */

const flowSettingsSchema = z.object({ enabled: z.boolean(), since: z.iso.datetime({ offset: true }) });

/** Whether the shop turned Flow triggers on, and since when (events before that are not sent). */
export function flowSettingsOf(settings: unknown): { enabled: boolean; since: Date | null } {
  const parsed = flowSettingsSchema.safeParse((settings as { flow?: unknown } | null)?.flow);
  return parsed.success && parsed.data.enabled ? { enabled: true, since: new Date(parsed.data.since) } : { enabled: false, since: null };
}

/** Turns the shop's Flow triggers on (events from now on) or off (pending ones are dropped, not sent later). */
export async function setFlowTriggers(shopId: number, enabled: boolean, { now = new Date() }: { now?: Date } = {}): Promise<void> {
  if (!enabled) await execute("UPDATE flow_events SET status = 'cancelled' WHERE shop_id = $1 AND status = 'pending'", [shopId]);
  await execute(
    `UPDATE shops SET settings = jsonb_set(settings, '{flow}', $2::jsonb), updated_at = now()
     WHERE id = $1 AND (settings->'flow'->>'enabled')::boolean IS DISTINCT FROM $3`,
    [shopId, JSON.stringify({ enabled, since: now.toISOString() }), enabled],
  );
}

/** Shops (ids) with Flow triggers on, for the engine's minute job. */
export async function shopsWithFlowTriggers(): Promise<number[]> {
  const rows = await queryRows<{ id: number }>(
    "SELECT id FROM shops WHERE uninstalled_at IS NULL AND (settings->'flow'->>'enabled')::boolean ORDER BY id",
  );
  return rows.map((row) => row.id);
}

/**
 * Less than this before the last look is looked at again: an enrollment updated by a transaction
 * that was still open at the last look has an earlier updated_at than the look itself.
 */
const LOOK_BACK = "10 minutes";

/**
 * Transitions older than this are not recorded (they were, within a minute of happening), so the
 * events of older ones can be purged (app/models/retention.server.ts) without firing twice.
 */
export const FLOW_RECORD_WINDOW_DAYS = 30;

/**
 * One row per transition since the shop turned Flow on that has none yet, in one statement. Only
 * enrollments updated since the last look (`flow.recordedUntil`, by index) are read, so the cost
 * follows the changes, not the shop's size; the look's time is stored in the same statement.
 */
export async function recordFlowEvents(shopId: number): Promise<number> {
  const row = await queryRow<{ recorded: string }>(
    `WITH shop AS (
       SELECT s.id, (s.settings->'flow'->>'since')::timestamptz AS since,
              coalesce((s.settings->'flow'->>'recordedUntil')::timestamptz - interval '${LOOK_BACK}', '-infinity') AS changed_after
       FROM shops s WHERE s.id = $1 AND (s.settings->'flow'->>'enabled')::boolean
     ), recorded AS (
       INSERT INTO flow_events (shop_id, enrollment_id, kind)
       SELECT e.shop_id, e.id, t.kind
       FROM shop
       JOIN enrollments e ON e.shop_id = shop.id AND e.updated_at >= shop.changed_after
       CROSS JOIN LATERAL (VALUES ('entered', e.entered_at),
                                  ('converted', CASE WHEN e.status = 'converted' THEN e.converted_at END),
                                  ('exited', CASE WHEN e.status = 'exited' THEN e.ended_at END)) AS t(kind, at)
       WHERE t.at >= shop.since AND t.at >= now() - make_interval(days => ${FLOW_RECORD_WINDOW_DAYS})
         AND NOT (t.kind = 'exited' AND e.exit_reason IN ('redacted', 'customer_deleted', 'campaign_deleted'))
       ON CONFLICT (shop_id, enrollment_id, kind) DO NOTHING
       RETURNING 1
     ), looked AS (
       UPDATE shops s SET settings = jsonb_set(s.settings, '{flow,recordedUntil}', to_jsonb(now()))
       FROM shop WHERE s.id = shop.id
     )
     SELECT count(*) AS recorded FROM recorded`,
    [shopId],
  );
  return Number(row!.recorded);
}

const FIRE = `#graphql
  mutation FireFlowTrigger($handle: String!, $payload: JSON!) {
    flowTriggerReceive(handle: $handle, payload: $payload) {
      userErrors { field message }
    }
  }`;

/** Events fired per call of fireFlowEvents at most. */
const FIRE_BATCH = 50;

/** Claims a pending event (pending → sending) and reads what its payload is made of; undefined when it is not pending any more. */
async function claimEvent(shopId: number, id: string) {
  return queryRow<{
    kind: FlowTriggerKind;
    customerId: string;
    campaignName: string;
    holdout: boolean;
    lastStepSent: number;
    conversionOrderId: string | null;
    exitReason: string | null;
    code: string | null;
    revenue: string | null;
  }>(
    `WITH claimed AS (
       UPDATE flow_events SET status = 'sending', attempts = attempts + 1 WHERE shop_id = $1 AND id = $2 AND status = 'pending'
       RETURNING kind, enrollment_id
     )
     SELECT c.kind, e.customer_id, ca.settings->>'name' AS campaign_name, e.holdout, e.last_step_sent, e.conversion_order_id, e.exit_reason,
            used.code, CASE WHEN o.id IS NOT NULL THEN ${orderRevenue("o")} END AS revenue
     FROM claimed c
     JOIN enrollments e ON e.id = c.enrollment_id AND e.shop_id = $1
     JOIN campaigns ca ON ca.id = e.campaign_id AND ca.shop_id = $1
     LEFT JOIN orders o ON c.kind = 'converted' AND o.shop_id = $1 AND o.id = e.conversion_order_id
     ${usedCodeJoin("e", "o", "used")}`,
    [shopId, id],
  );
}

/**
 * Fires up to FIRE_BATCH pending events of the shop, each claimed (pending → sending) right before
 * its call, so at most one is ever in doubt. A throttle (raised before anything reached Shopify)
 * puts it back and ends the run; any other failure may have reached Shopify, so the event is
 * marked failed with the reason rather than fired again.
 */
export async function fireFlowEvents(shopId: number, { admin }: { admin: AdminQuery }): Promise<{ sent: number; refused: number }> {
  const pending = await queryRows<{ id: string; domain: string }>(
    `SELECT f.id, s.domain FROM flow_events f JOIN shops s ON s.id = f.shop_id
     WHERE f.shop_id = $1 AND f.status = 'pending' ORDER BY f.id LIMIT $2`,
    [shopId, FIRE_BATCH],
  );
  let sent = 0;
  let refused = 0;
  for (const { id, domain } of pending) {
    const event = await claimEvent(shopId, id);
    if (!event) {
      // Another run took it, or its enrollment is gone (then it can never be sent).
      await execute(
        "UPDATE flow_events SET status = 'failed', error = 'the enrollment no longer exists' WHERE shop_id = $1 AND id = $2 AND status = 'sending'",
        [shopId, id],
      );
      continue;
    }
    const payload = flowPayload(event.kind, {
      customerId: BigInt(event.customerId),
      campaignName: event.campaignName,
      holdout: event.holdout,
      lastStepSent: event.lastStepSent,
      orderId: event.conversionOrderId === null ? null : BigInt(event.conversionOrderId),
      code: event.code,
      orderRevenue: event.revenue === null ? null : Number(event.revenue),
      exitReason: event.exitReason,
    });
    let errors: string[];
    try {
      const answer = await admin(domain, FIRE, { handle: FLOW_TRIGGERS[event.kind].handle, payload });
      errors = (answer.flowTriggerReceive?.userErrors ?? []).map((error) => error.message);
    } catch (error) {
      if (error instanceof ShopifyThrottledError) {
        await execute("UPDATE flow_events SET status = 'pending' WHERE shop_id = $1 AND id = $2 AND status = 'sending'", [shopId, id]);
        throw error;
      }
      errors = [`not confirmed by Shopify, not fired again: ${(error as Error).message}`];
    }
    await execute(
      "UPDATE flow_events SET status = $3, sent_at = CASE WHEN $3 = 'sent' THEN now() END, error = $4 WHERE shop_id = $1 AND id = $2",
      [shopId, id, errors.length > 0 ? "failed" : "sent", errors.length > 0 ? errors.join("; ").slice(0, 500) : null],
    );
    if (errors.length > 0) refused++;
    else sent++;
  }
  return { sent, refused };
}

/** A redacted customer's pending events are dropped: their data must not reach Flow any more. */
export async function cancelFlowEventsOf(shopId: number, customerId: number, { db }: { db?: Db } = {}): Promise<void> {
  await execute(
    `UPDATE flow_events f SET status = 'cancelled' FROM enrollments e
     WHERE f.shop_id = $1 AND f.status = 'pending' AND e.id = f.enrollment_id AND e.shop_id = $1 AND e.customer_id = $2`,
    [shopId, customerId],
    db,
  );
}
