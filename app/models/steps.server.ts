import type { Prisma } from "@prisma/client";
import prisma, { execute, queryRow, queryRows } from "../db.server";
import { campaignSettingsSchema, offerOfStep, type CampaignSettings } from "../domain/campaign";
import { applyMarginFloor, type TypicalOrder } from "../domain/margin";
import { decideStep } from "../domain/step-decision";
import type { EmailOffer } from "../email/render";
import type { MailTransport } from "../email/transport.server";
import { exitEnrollments, settleOrders, stopSends } from "./conversions.server";
import { emailOfferOf, ensurePersonalCode } from "./discount-codes.server";
import { deliverSends, type DeliveryOutcome } from "./email-delivery.server";
import { ShopifyApiError, type AdminQuery } from "./shopify-admin.server";

/**
 * Running the steps of Live campaigns.
 *
 * The dispatcher (every minute) takes enrollments whose next step is due and leases them for a
 * few minutes by moving their due time, so a lost job is dispatched again after the lease and a
 * running one is not dispatched twice. Delayed jobs are a convenience: PostgreSQL holds every
 * due time, so losing Redis loses nothing.
 *
 * A step runs: every exit condition is checked again, then the step is postponed (frequency cap,
 * quiet hours, the customer's usual hour) or sent: the code is ensured (reserved, then created in
 * Shopify), the send row is written (unique per enrollment and step) together with the next
 * step's due time, and the e-mails of the job go out together. Retries never make a second code
 * or e-mail: the code row, the unique send row and the send ledger's claim see to it.
 */

export const DISPATCH_LEASE_MS = 5 * 60 * 1000;
export const STEP_JOB_SIZE = 50;

/** A job of due steps: up to STEP_JOB_SIZE enrollments of one shop; `turn` is its place among that shop's jobs of the same dispatch (1 first). */
export interface DueStepsJob {
  shopId: number;
  enrollmentIds: bigint[];
  turn: number;
}

/**
 * Due enrollments of Live campaigns, leased, at most `limit`, taken in turns between shops: each
 * shop's earliest due step first, then each shop's second, and so on, so one shop with a
 * hundred thousand steps due shares a dispatch with every other shop instead of filling it.
 * Grouped by shop in jobs of STEP_JOB_SIZE.
 */
export async function dispatchDueSteps(limit: number, { now = new Date() }: { now?: Date } = {}): Promise<DueStepsJob[]> {
  const rows = await queryRows<{ shopId: number; id: string }>(
    `WITH ranked AS (
       SELECT e.id, e.next_step_due_at, row_number() OVER (PARTITION BY e.shop_id ORDER BY e.next_step_due_at, e.id) AS turn
       FROM enrollments e
       JOIN campaigns ca ON ca.shop_id = e.shop_id AND ca.id = e.campaign_id AND ca.status = 'live'
       JOIN shops s ON s.id = e.shop_id AND s.uninstalled_at IS NULL
       WHERE e.status = 'active' AND e.next_step_due_at <= $1
     ), picked AS (
       SELECT id FROM ranked ORDER BY turn, next_step_due_at, id LIMIT $2
     ), due AS (
       SELECT e.id FROM enrollments e JOIN picked p ON p.id = e.id
       WHERE e.status = 'active' AND e.next_step_due_at <= $1
       FOR UPDATE OF e SKIP LOCKED
     )
     UPDATE enrollments e SET next_step_due_at = $1::timestamptz + make_interval(secs => $3::float8 / 1000), updated_at = now()
     FROM due WHERE e.id = due.id
     RETURNING e.shop_id, e.id`,
    [now, limit, DISPATCH_LEASE_MS],
  );
  const byShop = new Map<number, bigint[]>();
  for (const row of rows) {
    if (!byShop.has(row.shopId)) byShop.set(row.shopId, []);
    byShop.get(row.shopId)!.push(BigInt(row.id));
  }
  const jobs: DueStepsJob[] = [];
  for (const [shopId, ids] of byShop) {
    ids.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (let start = 0; start < ids.length; start += STEP_JOB_SIZE)
      jobs.push({ shopId, enrollmentIds: ids.slice(start, start + STEP_JOB_SIZE), turn: start / STEP_JOB_SIZE + 1 });
  }
  // Each shop's first job, then each shop's second, …: the order the queue receives them in.
  return jobs.sort((a, b) => a.turn - b.turn);
}

/** The enrollments of a job with their campaign, shop and customer as they are now. */
const LOAD_DUE = `
  SELECT e.id, e.customer_id, e.holdout, e.status, e.exit_reason, e.entered_at, e.next_step, e.next_step_due_at, e.last_step_sent_at,
         ca.status AS campaign_status, ca.handle AS campaign_handle, ca.settings, ca.template_ids,
         s.iana_timezone, s.uninstalled_at,
         c.id IS NOT NULL AS customer_exists, c.email_marketing_state, c.suppressed_at, c.last_order_at, c.last_checkout_at,
         c.last_contacted_at, c.order_hours
  FROM enrollments e
  JOIN campaigns ca ON ca.shop_id = e.shop_id AND ca.id = e.campaign_id
  JOIN shops s ON s.id = e.shop_id
  LEFT JOIN customers c ON c.shop_id = e.shop_id AND c.id = e.customer_id
  WHERE e.shop_id = $1 AND e.id = ANY($2::bigint[])`;
interface DueRow {
  id: string;
  customerId: string;
  holdout: boolean;
  status: string;
  exitReason: string | null;
  enteredAt: Date;
  nextStep: number | null;
  nextStepDueAt: Date | null;
  lastStepSentAt: Date | null;
  campaignStatus: string;
  campaignHandle: string;
  settings: unknown;
  templateIds: number[];
  ianaTimezone: string | null;
  uninstalledAt: Date | null;
  customerExists: boolean;
  emailMarketingState: string | null;
  suppressedAt: Date | null;
  lastOrderAt: Date | null;
  lastCheckoutAt: Date | null;
  lastContactedAt: Date | null;
  orderHours: number[] | null;
}

export interface StepRun {
  sent: number;
  postponed: number;
  exited: number;
  /**
   * E-mails another job is handing over right now (a job that outlived its lease, or one BullMQ
   * took for stalled, racing this one): that job settles their rows; the step is already recorded.
   */
  sendingElsewhere: number;
  /** Send outcomes other than sent (blocked by a re-check, failed, interrupted), by send id. */
  notSent: Map<bigint, DeliveryOutcome>;
}

export async function runSteps(
  shopId: number,
  enrollmentIds: bigint[],
  { admin, transport, now = new Date() }: { admin: AdminQuery; transport: MailTransport; now?: Date },
): Promise<StepRun> {
  const run: StepRun = { sent: 0, postponed: 0, exited: 0, sendingElsewhere: 0, notSent: new Map() };
  // Orders that arrived since the last look settle their enrollments first (converted or exited).
  const customers = await queryRows<{ customerId: string }>(
    "SELECT DISTINCT customer_id FROM enrollments WHERE shop_id = $1 AND id = ANY($2::bigint[])",
    [shopId, enrollmentIds.map(String)],
  );
  const settled = await settleOrders(
    shopId,
    customers.map((row) => BigInt(row.customerId)),
    { now },
  );
  run.exited += settled.converted + settled.exited;

  const sendIds = new Set<bigint>();
  for (const row of await queryRows<DueRow>(LOAD_DUE, [shopId, enrollmentIds.map(String)])) {
    const outcome = await runDueStep(shopId, row, admin, now);
    if (outcome.kind === "exited") run.exited += outcome.count;
    else if (outcome.kind === "postponed") run.postponed++;
    else if (outcome.kind === "send") sendIds.add(outcome.sendId);
  }
  // What an earlier run of this job wrote and did not settle goes with this one's: the step is
  // already recorded, only the e-mail is left. Pending ones go out; one left `sending` by a run
  // that died is closed as interrupted (its owner is gone), one another job is sending is left to it.
  for (const id of await unsettledSendsOf(shopId, enrollmentIds)) sendIds.add(id);

  const { outcomes, retry } = await deliverSends(shopId, [...sendIds], { transport, now });
  for (const [sendId, outcome] of outcomes) {
    if (outcome.status === "sent") run.sent++;
    else if (outcome.status === "sending") run.sendingElsewhere++;
    else run.notSent.set(sendId, outcome);
  }
  if (retry) throw retry;
  return run;
}

async function unsettledSendsOf(shopId: number, enrollmentIds: bigint[]): Promise<bigint[]> {
  const rows = await queryRows<{ id: string }>(
    "SELECT id FROM email_sends WHERE shop_id = $1 AND enrollment_id = ANY($2::bigint[]) AND status IN ('pending', 'sending') ORDER BY id",
    [shopId, enrollmentIds.map(String)],
  );
  return rows.map((row) => BigInt(row.id));
}

type DueStepOutcome = { kind: "skipped" } | { kind: "exited"; count: number } | { kind: "postponed" } | { kind: "send"; sendId: bigint };

/** One enrollment of the job: left alone, exited, postponed, or its step prepared (code and send row). */
async function runDueStep(shopId: number, row: DueRow, admin: AdminQuery, now: Date): Promise<DueStepOutcome> {
  if (
    row.status !== "active" ||
    row.exitReason !== null ||
    row.nextStep === null ||
    row.holdout ||
    row.campaignStatus !== "live" ||
    row.uninstalledAt
  )
    return { kind: "skipped" };
  // Due, or leased by the dispatcher; a repeated job finds the next step not due yet and leaves it.
  if (!row.nextStepDueAt || row.nextStepDueAt.getTime() > now.getTime() + DISPATCH_LEASE_MS) return { kind: "skipped" };
  const enrollment = { id: BigInt(row.id), customerId: BigInt(row.customerId) };
  const settings = campaignSettingsSchema.parse(row.settings);
  if (row.nextStep > settings.steps.length) {
    // The campaign lost steps since this customer entered: their sequence is over.
    await execute(
      "UPDATE enrollments SET next_step = NULL, next_step_due_at = NULL, updated_at = now() WHERE shop_id = $1 AND id = $2 AND status = 'active'",
      [shopId, row.id],
    );
    return { kind: "skipped" };
  }
  const decision = decideStep({
    now,
    enteredAt: row.enteredAt,
    timezone: row.ianaTimezone ?? "UTC",
    quietHours: settings.quietHours,
    defaultSendHour: settings.defaultSendHour,
    frequencyCapHours: settings.frequencyCapHours,
    customer: row.customerExists
      ? {
          subscribed: row.emailMarketingState === "SUBSCRIBED",
          suppressed: row.suppressedAt !== null,
          lastOrderAt: row.lastOrderAt,
          lastCheckoutAt: row.lastCheckoutAt,
          lastContactedAt: latest(row.lastContactedAt, row.lastStepSentAt),
          orderHours: row.orderHours ?? [],
        }
      : null,
  });
  if (decision.kind === "exit") {
    const count =
      decision.reason === "checkout_started"
        ? await stopSends(shopId, [enrollment.customerId], "checkout_started")
        : await exitEnrollments(shopId, [enrollment.customerId], decision.reason, { includeHoldout: false }, { now });
    return { kind: "exited", count };
  }
  if (decision.kind === "postpone") {
    await execute("UPDATE enrollments SET next_step_due_at = $3, updated_at = now() WHERE shop_id = $1 AND id = $2 AND status = 'active'", [
      shopId,
      row.id,
      decision.until,
    ]);
    return { kind: "postponed" };
  }
  const sendId = await prepareStep(shopId, row, settings, enrollment, admin, now);
  return sendId === null ? { kind: "exited", count: 1 } : { kind: "send", sendId };
}

/**
 * The step's code (if any) and its send row, with the enrollment moved on to the next step, in one
 * transaction; returns the send id, or null when Shopify refused the code for good (the
 * enrollment then exits, visibly, with Shopify's reason).
 */
async function prepareStep(
  shopId: number,
  row: DueRow,
  settings: CampaignSettings,
  enrollment: { id: bigint; customerId: bigint },
  admin: AdminQuery,
  now: Date,
): Promise<bigint | null> {
  const step = row.nextStep!;
  let offer = offerOfStep(settings, step - 1);
  const exit = async (reason: string) => {
    await execute(
      `UPDATE enrollments SET status = 'exited', exit_reason = $3, ended_at = $4, next_step = NULL, next_step_due_at = NULL, updated_at = now()
       WHERE shop_id = $1 AND id = $2 AND status = 'active'`,
      [shopId, row.id, reason, now],
    );
    return null;
  };
  if (offer && offer.fromStep === step - 1 && settings.marginFloorPercent !== null) {
    // A new code: the margin floor may reduce it for this customer, or withhold it (the step, and the sequence, end here).
    const guarded = applyMarginFloor(offer.offer, await typicalOrder(shopId, enrollment.customerId), settings.marginFloorPercent);
    if (guarded.offer === null) return exit(`margin_floor: ${guarded.reason}`);
    offer = { ...offer, offer: guarded.offer };
  }
  let emailOffer = null;
  if (offer) {
    try {
      emailOffer = emailOfferOf(await ensurePersonalCode(shopId, enrollment, offer.fromStep + 1, offer.offer, { admin, now }));
    } catch (error) {
      if (!(error instanceof ShopifyApiError && error.permanent)) throw error;
      return exit(`code_refused: ${error.message.slice(0, 200)}`);
    }
  }
  return writeSend(shopId, row, settings, enrollment, emailOffer, now);
}

/** The send row of the enrollment's step, with the enrollment moved on to the next step, in one transaction. */
async function writeSend(
  shopId: number,
  row: DueRow,
  settings: CampaignSettings,
  enrollment: { id: bigint; customerId: bigint },
  emailOffer: EmailOffer | null,
  now: Date,
): Promise<bigint | null> {
  const step = row.nextStep!;
  const nextStep = step < settings.steps.length ? step + 1 : null;
  // As planned from entry, but never closer to this e-mail than the steps' own spacing (a step
  // that waited for the ramp, a pause or the cap does not pull the next one along).
  const gapMs = nextStep === null ? 0 : (settings.steps[nextStep - 1]!.delayHours - settings.steps[step - 1]!.delayHours) * 3_600_000;
  const nextDue =
    nextStep === null
      ? null
      : new Date(Math.max(row.enteredAt.getTime() + settings.steps[nextStep - 1]!.delayHours * 3_600_000, now.getTime() + gapMs));
  return prisma.$transaction(async (tx) => {
    const existing = await tx.emailSend.findUnique({
      where: { shopId_enrollmentId_step: { shopId, enrollmentId: enrollment.id, step } },
      select: { id: true },
    });
    // Moved on only if still open at this step: one that left meanwhile gets no new send row.
    const { count } = await tx.enrollment.updateMany({
      where: { id: enrollment.id, shopId, status: "active", exitReason: null, nextStep: step },
      data: { lastStepSent: step, lastStepSentAt: now, nextStep, nextStepDueAt: nextDue },
    });
    if (count === 0) return existing?.id ?? null;
    const send =
      existing ??
      (await tx.emailSend.create({
        data: {
          shopId,
          customerId: enrollment.customerId,
          templateId: row.templateIds[step - 1]!,
          campaign: row.campaignHandle,
          step,
          offer: (emailOffer ?? undefined) as Prisma.InputJsonValue | undefined,
          enrollmentId: enrollment.id,
        },
        select: { id: true },
      }));
    return send.id;
  });
}

const latest = (a: Date | null, b: Date | null) => (a && b ? (a > b ? a : b) : (a ?? b));

/** The customer's average order, and the cost share of the products they buy (where Shopify knows costs). */
async function typicalOrder(shopId: number, customerId: bigint): Promise<TypicalOrder> {
  const row = await queryRow<{ value: string | null; costRatio: number | null }>(
    `SELECT c.total_spent / nullif(c.orders_count, 0) AS value,
            (SELECT (sum(p.unit_cost) / nullif(sum(p.price), 0))::float8
             FROM products p
             WHERE p.shop_id = $1 AND p.unit_cost IS NOT NULL
               AND p.id IN (SELECT unnest(o.product_ids) FROM orders o WHERE o.shop_id = $1 AND o.customer_id = $2)) AS cost_ratio
     FROM customers c WHERE c.shop_id = $1 AND c.id = $2`,
    [shopId, String(customerId)],
  );
  return { value: Number(row?.value ?? 0), costRatio: row?.costRatio ?? null };
}

/**
 * Enrollments whose sequence is over end: contacted ones once the last step was sent (or their
 * e-mails stopped) and the attribution window passed, holdout ones once their contacted peers'
 * would have (last step's delay plus the window after entry); never while one of their codes can
 * still be used (an order with it converts). One whose e-mails stopped (a checkout) is "exited".
 */
export async function completeFinishedEnrollments({ now = new Date() }: { now?: Date } = {}): Promise<number> {
  return execute(
    `UPDATE enrollments e SET status = CASE WHEN e.exit_reason IS NULL THEN 'completed' ELSE 'exited' END, ended_at = $1, updated_at = now()
     FROM campaigns ca
     WHERE ca.shop_id = e.shop_id AND ca.id = e.campaign_id AND e.status = 'active' AND e.next_step IS NULL
       AND CASE WHEN e.holdout
                THEN e.entered_at + make_interval(hours => (ca.settings->'steps'->-1->>'delayHours')::int)
                                  + make_interval(days => (ca.settings->>'attributionWindowDays')::int)
                ELSE coalesce(e.last_step_sent_at, e.entered_at) + make_interval(days => (ca.settings->>'attributionWindowDays')::int)
           END <= $1
       AND NOT EXISTS (SELECT 1 FROM discount_codes d WHERE d.shop_id = e.shop_id AND d.enrollment_id = e.id AND d.ends_at > $1)`,
    [now],
  );
}
