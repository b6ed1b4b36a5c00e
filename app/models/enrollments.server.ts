import { queryRow, queryRows } from "../db.server";
import type { CampaignSettings } from "../domain/campaign";
import { audienceColumns, audienceFilter, toAudienceRow, type AudienceDbRow, type AudienceRow } from "./audience.server";

/**
 * Enrollment: who enters a Live campaign, in one statement per run over `customers`.
 *
 * A customer enters when the campaign's audience rules pick them, they have no active enrollment
 * in it, and their last one ended longer ago than the re-entry cool-down. Each entry is a new
 * cycle, unique per (campaign, customer, cycle), so two runs at once enter a customer once.
 *
 * The holdout is a stable random draw: a hash of (campaign, customer, cycle) against the holdout
 * share, so a repeated run draws the same. Holdout customers get no step; they are followed for
 * conversions only. The others get step 1 due after its delay, spread over the campaign's ramp
 * (at most `rampPerHour` first e-mails an hour, after those already waiting), so going Live on
 * a store with many lapsed customers does not send everything at once.
 */

export interface EnrollmentRun {
  /** Entered and will be e-mailed. */
  contacted: number;
  /** Entered the holdout: never e-mailed, followed for conversions. */
  holdout: number;
}

/**
 * The customers who would enter now, as SQL: `eligible` (id, cycle, the customer's usual order
 * value) and `drawn` (with the holdout draw). Shared by the enrollment and the pre-launch check,
 * so the check shows exactly who going Live will enter.
 */
function entrantsQuery(shopId: number, campaignId: number, settings: CampaignSettings, now: Date) {
  const { where, params } = audienceFilter(shopId, settings.audience, now);
  const param = (value: unknown) => `$${params.push(value)}`;
  const campaign = param(campaignId);
  const cooldownSeconds = param(settings.audience.cooldownDays * 86400);
  const holdoutBasisPoints = param(settings.holdoutPercent * 100);
  // The campaign's past entries, aggregated once and hash-joined: a probe per customer costs
  // seconds when most of a million customers qualify.
  const ctes = `past AS (
       SELECT customer_id, max(cycle) AS last_cycle,
              bool_or(status = 'active' OR ended_at > $2::timestamptz - make_interval(secs => ${cooldownSeconds}::float8)) AS blocked
       FROM enrollments WHERE shop_id = $1 AND campaign_id = ${campaign} GROUP BY customer_id
     ), eligible AS (
       SELECT c.id, c.total_spent / greatest(c.orders_count, 1) AS usual_order, coalesce(p.last_cycle, 0) + 1 AS cycle
       FROM customers c LEFT JOIN past p ON p.customer_id = c.id
       WHERE ${where} AND p.blocked IS NOT TRUE
     ), drawn AS (
       SELECT id, cycle, usual_order,
              abs(hashtextextended(${campaign}::text || ':' || id::text || ':' || cycle::text, 0)) % 10000 < ${holdoutBasisPoints} AS holdout
       FROM eligible
     )`;
  // Contacted customers whose first e-mail is still ahead: the ramp continues after them.
  const waiting = `SELECT count(*) AS n FROM enrollments
       WHERE shop_id = $1 AND campaign_id = ${campaign} AND status = 'active' AND NOT holdout AND next_step = 1 AND next_step_due_at > $2::timestamptz`;
  return { ctes, params, param, campaign, waiting };
}

export async function enrollEligible(
  shopId: number,
  campaignId: number,
  settings: CampaignSettings,
  { now = new Date() }: { now?: Date } = {},
): Promise<EnrollmentRun> {
  const { ctes, params, param, campaign, waiting } = entrantsQuery(shopId, campaignId, settings, now);
  const firstDelaySeconds = param(settings.steps[0]!.delayHours * 3600);
  const secondsPerSend = param(3600 / settings.rampPerHour);

  const entered = await queryRow<{ contacted: string; holdout: string }>(
    `WITH ${ctes}, waiting AS (${waiting}), scheduled AS (
       SELECT id, cycle, holdout, row_number() OVER (PARTITION BY holdout ORDER BY id) - 1 AS position FROM drawn
     ), inserted AS (
       INSERT INTO enrollments (shop_id, campaign_id, customer_id, cycle, holdout, entered_at, next_step, next_step_due_at, updated_at)
       SELECT $1, ${campaign}, s.id, s.cycle, s.holdout, $2,
              CASE WHEN s.holdout THEN NULL ELSE 1 END,
              CASE WHEN s.holdout THEN NULL
                   ELSE $2::timestamptz + make_interval(secs => ${firstDelaySeconds}::float8 + (waiting.n + s.position) * ${secondsPerSend}::float8) END,
              now()
       FROM scheduled s CROSS JOIN waiting
       ON CONFLICT (shop_id, campaign_id, customer_id, cycle) DO NOTHING
       RETURNING holdout
     )
     SELECT count(*) FILTER (WHERE NOT holdout) AS contacted, count(*) FILTER (WHERE holdout) AS holdout FROM inserted`,
    params,
  );
  return { contacted: Number(entered!.contacted), holdout: Number(entered!.holdout) };
}

export interface EntrantsForecast extends EnrollmentRun {
  /** Contacted customers whose first e-mail is already scheduled (the ramp continues after them). */
  waiting: number;
  /**
   * What the codes could take off if every contacted customer used the biggest one on an order of
   * their usual size (at least the minimum subtotal). Free shipping is not counted (its cost is
   * the carrier's rate, unknown here); the margin floor could only lower it.
   */
  worstCaseDiscount: number;
}

/** Who going Live (or the next hourly run) would enter now, without entering anyone. */
export async function forecastEntrants(
  shopId: number,
  campaignId: number,
  settings: CampaignSettings,
  { now = new Date() }: { now?: Date } = {},
): Promise<EntrantsForecast> {
  const { ctes, params, param, waiting } = entrantsQuery(shopId, campaignId, settings, now);
  const offers = settings.steps.flatMap((step) => (step.offer.use === "new" ? [step.offer.offer] : []));
  const discountOf = offers.map((offer) => {
    if (offer.kind === "fixed_amount") return `${param(offer.value)}::numeric`;
    if (offer.kind === "free_shipping") return "0::numeric";
    return `greatest(d.usual_order, ${param(offer.minimumSubtotal ?? 0)}::numeric) * ${param(offer.value / 100)}::numeric`;
  });
  const worstCase = discountOf.length === 0 ? "0" : discountOf.length === 1 ? discountOf[0] : `greatest(${discountOf.join(", ")})`;
  const row = (await queryRow<{ contacted: string; holdout: string; worstCase: string; waiting: string }>(
    `WITH ${ctes}
     SELECT count(*) FILTER (WHERE NOT d.holdout) AS contacted, count(*) FILTER (WHERE d.holdout) AS holdout,
            coalesce(sum(${worstCase}) FILTER (WHERE NOT d.holdout), 0) AS worst_case,
            (${waiting}) AS waiting
     FROM drawn d`,
    params,
  ))!;
  return {
    contacted: Number(row.contacted),
    holdout: Number(row.holdout),
    waiting: Number(row.waiting),
    worstCaseDiscount: Number(row.worstCase),
  };
}

/** A few of the customers going Live would e-mail (entrants outside the holdout), by id. */
export async function sampleEntrants(
  shopId: number,
  campaignId: number,
  settings: CampaignSettings,
  limit: number,
  { now = new Date() }: { now?: Date } = {},
): Promise<AudienceRow[]> {
  const { ctes, params, param } = entrantsQuery(shopId, campaignId, settings, now);
  const rows = await queryRows<AudienceDbRow>(
    `WITH ${ctes}
     SELECT ${audienceColumns("c")} FROM drawn d JOIN customers c ON c.shop_id = $1 AND c.id = d.id
     WHERE NOT d.holdout ORDER BY d.id LIMIT ${param(limit)}`,
    params,
  );
  return rows.map(toAudienceRow);
}
