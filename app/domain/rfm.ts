/**
 * R/F/M scores, 1 (worst) to 5 (best), per shop. Each is the customer's position in the shop's
 * distribution: score = min(5, 1 + floor(5 × percent_rank)), percent_rank ordering by last order
 * time (recency), orders count (frequency) or net spend (monetary), ascending.
 *
 * percent_rank gives tied customers the rank of the first of them, so equal values always get
 * equal scores (a shop where most customers ordered once scores them all F = 1, not 5), the
 * result does not depend on row order, and without ties the scores are quintiles.
 * app/models/scoring.server.ts computes exactly this in SQL.
 */

/** With fewer customers who ordered, a rank says nothing: no scores (the RFM presets then match nobody). */
export const MIN_BUYERS_FOR_SCORES = 5;

export type Score = 1 | 2 | 3 | 4 | 5;

export function scoreFromPercentRank(percentRank: number): Score {
  return Math.min(5, 1 + Math.floor(5 * percentRank)) as Score;
}

/** The same rule over a list of values, as PostgreSQL's percent_rank computes it (for tests and explanations). */
export function scoresOf(values: number[]): Score[] {
  const sorted = [...values].sort((a, b) => a - b);
  const n = values.length;
  return values.map((value) => {
    const rank = sorted.findIndex((candidate) => candidate === value); // rows strictly below
    return scoreFromPercentRank(n > 1 ? rank / (n - 1) : 0);
  });
}

export interface ScoreRange {
  min?: Score;
  max?: Score;
}

export type RfmPreset = "at_risk" | "cant_lose" | "all_lapsed";

/**
 * Connectif's win-back segment is "high frequency, high monetary value, low recency". At risk:
 * bought often and much, not recently. Can't lose: the very best customers, gone quiet longest.
 */
export const RFM_PRESETS: Record<RfmPreset, { label: string; r?: ScoreRange; f?: ScoreRange; m?: ScoreRange }> = {
  at_risk: { label: "At risk", r: { max: 2 }, f: { min: 4 }, m: { min: 4 } },
  cant_lose: { label: "Can't lose", r: { max: 1 }, f: { min: 5 }, m: { min: 5 } },
  all_lapsed: { label: "All lapsed" },
};

export const SHOPIFY_RFM_GROUPS = [
  "ACTIVE",
  "ALMOST_LOST",
  "AT_RISK",
  "CHAMPIONS",
  "DORMANT",
  "LOYAL",
  "NEEDS_ATTENTION",
  "NEW",
  "PREVIOUSLY_LOYAL",
  "PROMISING",
  "PROSPECTS",
] as const;
export type ShopifyRfmGroup = (typeof SHOPIFY_RFM_GROUPS)[number];

/** "ALMOST_LOST" → "Almost lost"; null: Shopify has no group for the customer. */
export function shopifyGroupLabel(group: string | null): string {
  if (group === null) return "No group from Shopify";
  return group.charAt(0) + group.slice(1).toLowerCase().replaceAll("_", " ");
}
