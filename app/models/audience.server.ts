import { queryRow, queryRows } from "../db.server";
import { evaluateAudience, MIN_LAPSE_DAYS, type AudienceCandidate, type AudienceRules, type AudienceVerdict } from "../domain/audience";
import { RFM_PRESETS, type RfmPreset, type ScoreRange } from "../domain/rfm";

/**
 * The audience of a campaign as one SQL query over `customers` (app/domain/audience.ts states the
 * rules; a test checks both agree). Thresholds are computed in seconds, not calendar days, so a
 * daylight-saving change never shifts them. Results are keyset-paged by customer id.
 */

export interface AudienceRow extends AudienceCandidate {
  id: bigint;
  firstName: string | null;
  lastName: string | null;
}

const AUDIENCE_COLUMN_NAMES = [
  "id",
  "email",
  "first_name",
  "last_name",
  "email_marketing_state",
  "orders_count",
  "last_order_at",
  "median_gap_days",
  "r_score",
  "f_score",
  "m_score",
  "shopify_rfm_group",
  "last_checkout_at",
  "suppressed_at",
  "last_contacted_at",
];

/** The columns of the customers row named `customer` that `toAudienceRow` reads. */
export function audienceColumns(customer: string): string {
  return AUDIENCE_COLUMN_NAMES.map((column) => `${customer}.${column}`).join(", ");
}

/** The conditions on `c` (a customers row) of an RFM preset's score ranges; none for "all lapsed". */
export function presetConditions(preset: RfmPreset, param: (value: unknown) => string): string[] {
  const { r, f, m } = RFM_PRESETS[preset];
  const range = (column: string, bounds: ScoreRange | undefined) => {
    if (!bounds) return [];
    return [
      `${column} IS NOT NULL`,
      ...(bounds.min !== undefined ? [`${column} >= ${param(bounds.min)}`] : []),
      ...(bounds.max !== undefined ? [`${column} <= ${param(bounds.max)}`] : []),
    ];
  };
  return [...range("c.r_score", r), ...range("c.f_score", f), ...range("c.m_score", m)];
}

/** The WHERE clause and its parameters ($1 is the shop, $2 "now"). */
export function audienceFilter(shopId: number, rules: AudienceRules, now: Date): { where: string; params: unknown[] } {
  const params: unknown[] = [shopId, now];
  const param = (value: unknown) => `$${params.push(value)}`;
  const secondsAgo = (seconds: string) => `$2::timestamptz - make_interval(secs => ${seconds})`;
  const conditions = [
    "c.shop_id = $1",
    "c.email_marketing_state = 'SUBSCRIBED'",
    "coalesce(c.email, '') <> ''",
    "c.suppressed_at IS NULL",
    "c.orders_count > 0",
    "c.last_order_at IS NOT NULL",
  ];

  const lapse = rules.lapse;
  if (lapse.kind === "inactivity") {
    conditions.push(`c.last_order_at <= ${secondsAgo(`${param(lapse.days * 86400)}::float8`)}`);
  } else {
    const cadence = secondsAgo(
      `greatest(${param(lapse.multiplier)}::float8 * c.median_gap_days, ${param(MIN_LAPSE_DAYS)}::float8) * 86400`,
    );
    const fallback = secondsAgo(`${param(lapse.fallbackDays * 86400)}::float8`);
    conditions.push(`(CASE WHEN c.median_gap_days IS NOT NULL THEN c.last_order_at < ${cadence} ELSE c.last_order_at <= ${fallback} END)`);
  }

  const segment = rules.segment;
  if (segment.kind === "preset") {
    conditions.push(...presetConditions(segment.preset, param));
  } else {
    conditions.push(`c.shopify_rfm_group = ANY(${param(segment.groups)}::text[])`);
  }

  conditions.push(
    `(c.last_checkout_at IS NULL OR c.last_checkout_at <= ${secondsAgo(`${param(rules.checkoutQuietHours * 3600)}::float8`)})`,
  );
  conditions.push(`(c.last_contacted_at IS NULL OR c.last_contacted_at <= ${secondsAgo(`${param(rules.cooldownDays * 86400)}::float8`)})`);
  return { where: conditions.join("\n  AND "), params };
}

/** A row of `audienceColumns` as `queryRows` returns it (bigint ids arrive as strings). */
export type AudienceDbRow = Omit<AudienceRow, "id"> & { id: string };

export function toAudienceRow(row: AudienceDbRow): AudienceRow {
  return { ...row, id: BigInt(row.id) };
}

/** One page of eligible customers, by id, after `after` (exclusive). */
export async function eligibleCustomers(
  shopId: number,
  rules: AudienceRules,
  page: { after?: bigint; limit: number },
  { now = new Date() }: { now?: Date } = {},
): Promise<AudienceRow[]> {
  const { where, params } = audienceFilter(shopId, rules, now);
  params.push(String(page.after ?? 0n), page.limit);
  const rows = await queryRows<AudienceDbRow>(
    `SELECT ${audienceColumns("c")} FROM customers c WHERE ${where} AND c.id > $${params.length - 1} ORDER BY c.id LIMIT $${params.length}`,
    params,
  );
  return rows.map(toAudienceRow);
}

export async function countEligible(shopId: number, rules: AudienceRules, { now = new Date() }: { now?: Date } = {}): Promise<number> {
  const { where, params } = audienceFilter(shopId, rules, now);
  const row = await queryRow<{ count: string }>(`SELECT count(*) FROM customers c WHERE ${where}`, params);
  return Number(row!.count);
}

/** Why one customer of the shop qualifies or not, in words for the merchant (null: no such customer). */
export async function explainCustomer(
  shopId: number,
  customerId: bigint,
  rules: AudienceRules,
  { now = new Date() }: { now?: Date } = {},
): Promise<AudienceVerdict | null> {
  const row = await queryRow<AudienceDbRow>(`SELECT ${audienceColumns("c")} FROM customers c WHERE c.shop_id = $1 AND c.id = $2`, [
    shopId,
    String(customerId),
  ]);
  return row ? evaluateAudience(toAudienceRow(row), rules, now) : null;
}
