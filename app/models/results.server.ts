import { queryRow, queryRows } from "../db.server";
import { displayName } from "../domain/customer-name";
import { computeLift, type Lift } from "../domain/lift";
import { matchesSearch, searchPattern } from "./customer-search.server";

/**
 * A campaign's results, in three aggregate queries over its enrollments (indexed by campaign):
 * the funnel, each step's performance, revenue of the conversion orders (after refunds; a
 * cancelled order counts nothing) with the discounts given, and the lift against the holdout.
 */

export interface StepResult {
  step: number;
  sent: number;
  /** Approximate: mail privacy features load images without a reader. */
  opened: number;
  clicked: number;
  unsubscribed: number;
  /** Contacted customers whose conversion came after this step (their last one). */
  conversions: number;
  revenue: number;
}

export interface CampaignResults {
  entered: number;
  contacted: number;
  holdout: number;
  active: number;
  completed: number;
  exited: number;
  conversions: { contacted: number; holdout: number };
  /** Revenue of the contacted customers' conversion orders (last-click and code attribution). */
  revenue: number;
  /** What the codes used in those orders took off (percentage codes estimated from the paid total). */
  discountCost: number;
  steps: StepResult[];
  lift: Lift;
}

/** What the orders row `order` brought in: its total after refunds; a cancelled order nothing. */
export function orderRevenue(order: string): string {
  return `CASE WHEN ${order}.cancelled_at IS NULL THEN ${order}.total - ${order}.refunded ELSE 0 END`;
}

/**
 * A join adding `as` (code, offer): the code of the enrollments row `enrollment` that the orders
 * row `order` used (codes are compared in upper case), if any.
 */
export function usedCodeJoin(enrollment: string, order: string, as: string): string {
  return `LEFT JOIN LATERAL (
         SELECT d.code, d.offer FROM discount_codes d
         WHERE d.shop_id = ${enrollment}.shop_id AND d.enrollment_id = ${enrollment}.id
           AND d.code = ANY(SELECT upper(v) FROM unnest(${order}.discount_codes) v) LIMIT 1
       ) ${as} ON true`;
}

const FUNNEL = `SELECT count(*) AS entered,
              count(*) FILTER (WHERE NOT holdout) AS contacted, count(*) FILTER (WHERE holdout) AS holdout,
              count(*) FILTER (WHERE status = 'active') AS active, count(*) FILTER (WHERE status = 'completed') AS completed,
              count(*) FILTER (WHERE status = 'exited') AS exited,
              count(*) FILTER (WHERE status = 'converted' AND NOT holdout) AS contacted_conversions,
              count(*) FILTER (WHERE status = 'converted' AND holdout) AS holdout_conversions
       FROM enrollments WHERE shop_id = $1 AND campaign_id = $2`;
type FunnelRow = Record<"entered" | "contacted" | "holdout" | "active" | "completed" | "exited", string> & {
  contactedConversions: string;
  holdoutConversions: string;
};

const STEPS = `SELECT s.step, count(*) FILTER (WHERE s.status = 'sent') AS sent, count(s.opened_at) AS opened,
              count(s.first_clicked_at) AS clicked, count(s.unsubscribed_at) AS unsubscribed
       FROM enrollments e JOIN email_sends s ON s.shop_id = e.shop_id AND s.enrollment_id = e.id
       WHERE e.shop_id = $1 AND e.campaign_id = $2
       GROUP BY s.step ORDER BY s.step`;
type StepRow = { step: number; sent: string; opened: string; clicked: string; unsubscribed: string };

const MONEY = `SELECT e.holdout, e.last_step_sent AS step, count(*) AS conversions,
              coalesce(sum(${orderRevenue("o")}), 0) AS revenue,
              coalesce(sum(CASE WHEN o.cancelled_at IS NOT NULL OR used.offer IS NULL THEN 0
                                WHEN used.offer->>'kind' = 'percentage'
                                  THEN o.total * (used.offer->>'value')::numeric / greatest(100 - (used.offer->>'value')::numeric, 1)
                                WHEN used.offer->>'kind' = 'fixed_amount' THEN (used.offer->>'value')::numeric
                                ELSE 0 END), 0) AS discount
       FROM enrollments e
       JOIN orders o ON o.shop_id = e.shop_id AND o.id = e.conversion_order_id
       ${usedCodeJoin("e", "o", "used")}
       WHERE e.shop_id = $1 AND e.campaign_id = $2 AND e.status = 'converted'
       GROUP BY e.holdout, e.last_step_sent`;
type MoneyRow = { holdout: boolean; step: number; conversions: string; revenue: string; discount: string };

const sum = <Row>(rows: Row[], key: keyof Row) => rows.reduce((total, row) => total + Number(row[key]), 0);

/** Everything but the per-step rows: the funnel's counts, the money and the lift. */
function summarize(funnel: FunnelRow | undefined, money: MoneyRow[]): Omit<CampaignResults, "steps"> {
  const number = (key: keyof FunnelRow) => Number(funnel?.[key] ?? 0);
  const contactedMoney = money.filter((row) => !row.holdout);
  const revenue = sum(contactedMoney, "revenue");
  const discountCost = sum(contactedMoney, "discount");
  const conversions = { contacted: number("contactedConversions"), holdout: number("holdoutConversions") };
  return {
    entered: number("entered"),
    contacted: number("contacted"),
    holdout: number("holdout"),
    active: number("active"),
    completed: number("completed"),
    exited: number("exited"),
    conversions,
    revenue,
    discountCost,
    lift: computeLift(
      { customers: number("contacted"), conversions: conversions.contacted, revenue },
      {
        customers: number("holdout"),
        conversions: conversions.holdout,
        revenue: sum(
          money.filter((row) => row.holdout),
          "revenue",
        ),
      },
      discountCost,
    ),
  };
}

export async function campaignResults(shopId: number, campaignId: number): Promise<CampaignResults> {
  const [funnel, steps, money] = await Promise.all([
    queryRow<FunnelRow>(FUNNEL, [shopId, campaignId]),
    queryRows<StepRow>(STEPS, [shopId, campaignId]),
    queryRows<MoneyRow>(MONEY, [shopId, campaignId]),
  ]);
  const contactedMoney = money.filter((row) => !row.holdout);
  return {
    ...summarize(funnel, money),
    steps: steps.map((row) => {
      const converted = contactedMoney.filter((money) => money.step === row.step);
      return {
        step: row.step,
        sent: Number(row.sent),
        opened: Number(row.opened),
        clicked: Number(row.clicked),
        unsubscribed: Number(row.unsubscribed),
        conversions: sum(converted, "conversions"),
        revenue: sum(converted, "revenue"),
      };
    }),
  };
}

/** The dashboard's figures of a campaign: the results without the per-step rows (which read every e-mail). */
export async function campaignHeadline(shopId: number, campaignId: number): Promise<Omit<CampaignResults, "steps">> {
  const [funnel, money] = await Promise.all([
    queryRow<FunnelRow>(FUNNEL, [shopId, campaignId]),
    queryRows<MoneyRow>(MONEY, [shopId, campaignId]),
  ]);
  return summarize(funnel, money);
}

/** Conversion revenue of contacted customers per day in the shop's timezone (days without any are left out). */
export async function revenueByDay(
  shopId: number,
  campaignId: number,
  timezone: string,
): Promise<{ day: string; conversions: number; revenue: number }[]> {
  const rows = await queryRows<{ day: string; conversions: string; revenue: string }>(
    `SELECT to_char(e.converted_at AT TIME ZONE $3, 'YYYY-MM-DD') AS day, count(*) AS conversions,
            coalesce(sum(${orderRevenue("o")}), 0) AS revenue
     FROM enrollments e JOIN orders o ON o.shop_id = e.shop_id AND o.id = e.conversion_order_id
     WHERE e.shop_id = $1 AND e.campaign_id = $2 AND e.status = 'converted' AND NOT e.holdout
     GROUP BY 1 ORDER BY 1`,
    [shopId, campaignId, timezone],
  );
  return rows.map((row) => ({ day: row.day, conversions: Number(row.conversions), revenue: Number(row.revenue) }));
}

export interface EnrollmentListRow {
  id: string;
  customerId: string;
  name: string;
  email: string | null;
  holdout: boolean;
  status: string;
  exitReason: string | null;
  enteredAt: string;
  lastStepSent: number;
  convertedAt: string | null;
  revenue: number | null;
}

export const PAGE_SIZE = 25;

/** A page of the campaign's customers, newest entry first, optionally those whose name or e-mail contains `search`. */
export async function campaignCustomers(
  shopId: number,
  campaignId: number,
  { search = "", page = 1 }: { search?: string; page?: number },
): Promise<{ rows: EnrollmentListRow[]; hasNext: boolean }> {
  const rows = await queryRows<{
    id: string;
    customerId: string;
    customerExists: boolean;
    firstName: string | null;
    lastName: string | null;
    email: string | null;
    holdout: boolean;
    status: string;
    exitReason: string | null;
    enteredAt: Date;
    lastStepSent: number;
    convertedAt: Date | null;
    revenue: string | null;
  }>(
    `SELECT e.id, e.customer_id, c.id IS NOT NULL AS customer_exists, c.first_name, c.last_name, c.email, e.holdout, e.status, e.exit_reason, e.entered_at, e.last_step_sent,
            e.converted_at, CASE WHEN o.id IS NOT NULL THEN ${orderRevenue("o")} END AS revenue
     FROM enrollments e
     LEFT JOIN customers c ON c.shop_id = e.shop_id AND c.id = e.customer_id
     LEFT JOIN orders o ON e.status = 'converted' AND o.shop_id = e.shop_id AND o.id = e.conversion_order_id
     WHERE e.shop_id = $1 AND e.campaign_id = $2
       AND ${matchesSearch("$3", "$4")}
     ORDER BY e.id DESC LIMIT $5 OFFSET $6`,
    [shopId, campaignId, search.trim(), searchPattern(search), PAGE_SIZE + 1, (Math.max(1, page) - 1) * PAGE_SIZE],
  );
  return {
    hasNext: rows.length > PAGE_SIZE,
    rows: rows.slice(0, PAGE_SIZE).map((row) => ({
      id: String(row.id),
      customerId: String(row.customerId),
      name: row.customerExists ? displayName(row.firstName, row.lastName) : "(erased)",
      email: row.email ?? null,
      holdout: row.holdout,
      status: row.status,
      exitReason: row.exitReason,
      enteredAt: row.enteredAt.toISOString(),
      lastStepSent: Number(row.lastStepSent),
      convertedAt: row.convertedAt ? row.convertedAt.toISOString() : null,
      revenue: row.revenue === null ? null : Number(row.revenue),
    })),
  };
}
