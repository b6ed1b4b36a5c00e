import { z } from "zod";
import { execute, queryRows } from "../db.server";
import { RFM_PRESETS } from "../domain/rfm";
import { presetConditions } from "./audience.server";

/**
 * Today's lapsed customers for the dashboard: how many, in which of our RFM segments and
 * Shopify's RFM groups, and how many of them may be e-mailed. Counting a million customers takes
 * longer than a page may, so the count is taken with the scores (after every back-fill and daily)
 * and the dashboard reads one row; it shows when it was taken.
 */

/** "Lapsed" on the dashboard: no order for this many days (the ready-made campaign's default). */
export const SUMMARY_LAPSED_DAYS = 90;

/** Each lapsed customer in exactly one segment, the narrowest first ("Can't lose" is also "At risk"). */
export const SUMMARY_SEGMENTS = ["cant_lose", "at_risk", "other"] as const;

const rowSchema = z.object({
  segment: z.enum(SUMMARY_SEGMENTS),
  /** Shopify's own RFM group; null when Shopify has none for the customer. */
  shopifyGroup: z.string().nullable(),
  customers: z.number().int(),
  /** Subscribed to e-mail marketing, with an address, not suppressed by us. */
  subscribed: z.number().int(),
});

export const audienceSummarySchema = z.object({
  lapsedDays: z.number().int(),
  /** Customers who have ordered at least once. */
  buyers: z.number().int(),
  rows: z.array(rowSchema),
});
export type AudienceSummary = z.infer<typeof audienceSummarySchema>;

const literal = (value: unknown) => String(Number(value));
const segmentCase = `CASE
    WHEN ${presetConditions("cant_lose", literal).join(" AND ")} THEN 'cant_lose'
    WHEN ${presetConditions("at_risk", literal).join(" AND ")} THEN 'at_risk'
    ELSE 'other' END`;

/** Counts the shop's lapsed customers now and stores the summary on the shop. */
export async function refreshAudienceSummary(shopId: number, { now = new Date() }: { now?: Date } = {}): Promise<AudienceSummary> {
  const rows = await queryRows<{
    segment: AudienceSummary["rows"][number]["segment"] | null;
    shopifyGroup: string | null;
    customers: string;
    subscribed: string;
  }>(
    `SELECT CASE WHEN c.last_order_at <= $2::timestamptz - make_interval(days => $3) THEN ${segmentCase} END AS segment,
            c.shopify_rfm_group AS shopify_group, count(*) AS customers,
            count(*) FILTER (WHERE c.email_marketing_state = 'SUBSCRIBED' AND coalesce(c.email, '') <> '' AND c.suppressed_at IS NULL) AS subscribed
     FROM customers c
     WHERE c.shop_id = $1 AND c.orders_count > 0 AND c.last_order_at IS NOT NULL
     GROUP BY 1, 2`,
    [shopId, now, SUMMARY_LAPSED_DAYS],
  );
  const summary: AudienceSummary = {
    lapsedDays: SUMMARY_LAPSED_DAYS,
    buyers: rows.reduce((total, row) => total + Number(row.customers), 0),
    rows: rows.flatMap((row) =>
      row.segment === null
        ? []
        : [{ segment: row.segment, shopifyGroup: row.shopifyGroup, customers: Number(row.customers), subscribed: Number(row.subscribed) }],
    ),
  };
  await execute("UPDATE shops SET audience_summary = $2, audience_summary_at = $3 WHERE id = $1", [shopId, JSON.stringify(summary), now]);
  return summary;
}

export interface AudienceBreakdown {
  takenAt: string;
  lapsedDays: number;
  buyers: number;
  lapsed: number;
  subscribed: number;
  bySegment: { segment: (typeof SUMMARY_SEGMENTS)[number]; label: string; customers: number; subscribed: number }[];
  byShopifyGroup: { group: string | null; customers: number; subscribed: number }[];
}

const SEGMENT_LABELS: Record<(typeof SUMMARY_SEGMENTS)[number], string> = {
  cant_lose: RFM_PRESETS.cant_lose.label,
  at_risk: RFM_PRESETS.at_risk.label,
  other: "Other lapsed",
};

/** The stored summary, totalled per segment and per Shopify group (null: not counted yet). */
export function breakdownOf(stored: unknown, takenAt: Date | null): AudienceBreakdown | null {
  const parsed = audienceSummarySchema.safeParse(stored);
  if (!parsed.success || !takenAt) return null;
  const { rows } = parsed.data;
  const total = (subset: typeof rows) => ({
    customers: subset.reduce((sum, row) => sum + row.customers, 0),
    subscribed: subset.reduce((sum, row) => sum + row.subscribed, 0),
  });
  const groups = [...new Set(rows.map((row) => row.shopifyGroup))];
  return {
    takenAt: takenAt.toISOString(),
    lapsedDays: parsed.data.lapsedDays,
    buyers: parsed.data.buyers,
    lapsed: total(rows).customers,
    subscribed: total(rows).subscribed,
    bySegment: SUMMARY_SEGMENTS.map((segment) => ({
      segment,
      label: SEGMENT_LABELS[segment],
      ...total(rows.filter((row) => row.segment === segment)),
    })),
    byShopifyGroup: groups
      .map((group) => ({ group, ...total(rows.filter((row) => row.shopifyGroup === group)) }))
      .sort((a, b) => b.customers - a.customers),
  };
}
