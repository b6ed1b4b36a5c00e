import { z } from "zod";
import { RFM_PRESETS, SHOPIFY_RFM_GROUPS, type ScoreRange } from "./rfm";

/**
 * Who a win-back campaign may contact, as pure rules. app/models/audience.server.ts runs the same
 * rules as one SQL query; a test checks that both pick the same customers.
 *
 * A customer qualifies when all hold:
 * - subscribed to e-mail marketing, with an address, not suppressed by us;
 * - has ordered, and is lapsed: no order for N days, or (personal cadence) the current gap is
 *   longer than k × their median gap between orders, falling back to N days without a cadence;
 * - matches the segment: an RFM preset, or one of the chosen Shopify RFM groups;
 * - has not started a checkout in the last X hours (abandoned-checkout recovery has priority);
 * - was not contacted by us within the re-entry cool-down.
 */

/**
 * Nobody is lapsed sooner than this after their last order, whatever their cadence: three orders
 * placed minutes apart (a split order, a return and re-buy) make a median gap of about zero.
 */
export const MIN_LAPSE_DAYS = 7;

const DAY_MS = 24 * 3600 * 1000;
const HOUR_MS = 3600 * 1000;

const lapseDays = z
  .number({ error: "Enter the number of days" })
  .int("Use whole days")
  .min(MIN_LAPSE_DAYS, `Use ${MIN_LAPSE_DAYS} to 730 days`)
  .max(730, `Use ${MIN_LAPSE_DAYS} to 730 days`);

export const audienceRulesSchema = z.object({
  lapse: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("inactivity"), days: lapseDays }),
    z.object({
      kind: z.literal("cadence"),
      /** Lapsed when the current gap exceeds this many times the customer's median gap. */
      multiplier: z.number({ error: "Enter a multiple" }).min(1, "Use 1 to 10 times").max(10, "Use 1 to 10 times"),
      /** For customers with fewer than 3 orders (no cadence). */
      fallbackDays: lapseDays,
    }),
  ]),
  segment: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("preset"), preset: z.enum(["at_risk", "cant_lose", "all_lapsed"]) }),
    z.object({ kind: z.literal("shopify_rfm_groups"), groups: z.array(z.enum(SHOPIFY_RFM_GROUPS)).min(1, "Choose at least one group") }),
  ]),
  /** No checkout started in the last X hours. */
  checkoutQuietHours: z
    .number({ error: "Enter the hours" })
    .int("Use whole hours")
    .min(0, "Use 0 to 720 hours")
    .max(720, "Use 0 to 720 hours"),
  /** Not contacted by a win-back message in the last X days. */
  cooldownDays: z.number({ error: "Enter the days" }).int("Use whole days").min(0, "Use 0 to 3,650 days").max(3650, "Use 0 to 3,650 days"),
});
export type AudienceRules = z.infer<typeof audienceRulesSchema>;

/** The facts about a customer the rules look at (a `customers` row). */
export interface AudienceCandidate {
  email: string | null;
  emailMarketingState: string | null;
  ordersCount: number;
  lastOrderAt: Date | null;
  medianGapDays: number | null;
  rScore: number | null;
  fScore: number | null;
  mScore: number | null;
  shopifyRfmGroup: string | null;
  lastCheckoutAt: Date | null;
  suppressedAt: Date | null;
  lastContactedAt: Date | null;
}

export interface AudienceVerdict {
  qualifies: boolean;
  /** What speaks for the customer, e.g. "last order 142 days ago". */
  facts: string[];
  /** Why they do not qualify (empty when they do). */
  blockers: string[];
  /** One line for the merchant. */
  text: string;
}

const days = (ms: number) => Math.floor(ms / DAY_MS);
const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;

/** The lapse threshold for this customer in days, and how it was set. */
export function lapseThresholdDays(rules: AudienceRules, medianGapDays: number | null): { days: number; byCadence: boolean } {
  const lapse = rules.lapse;
  if (lapse.kind === "cadence" && medianGapDays !== null)
    return { days: Math.max(lapse.multiplier * medianGapDays, MIN_LAPSE_DAYS), byCadence: true };
  return { days: lapse.kind === "cadence" ? lapse.fallbackDays : lapse.days, byCadence: false };
}

function inRange(score: number | null, range: ScoreRange | undefined): boolean {
  if (!range) return true;
  if (score === null) return false;
  return (range.min === undefined || score >= range.min) && (range.max === undefined || score <= range.max);
}

export function evaluateAudience(candidate: AudienceCandidate, rules: AudienceRules, now: Date): AudienceVerdict {
  const facts: string[] = [];
  const blockers: string[] = [];
  const since = (date: Date) => now.getTime() - date.getTime();

  // Lapse first: it is the headline of the explanation.
  if (candidate.ordersCount === 0 || candidate.lastOrderAt === null) {
    blockers.push("has never ordered");
  } else {
    const gap = since(candidate.lastOrderAt);
    const threshold = lapseThresholdDays(rules, candidate.medianGapDays);
    facts.push(`last order ${plural(days(gap), "day")} ago`);
    if (candidate.medianGapDays !== null) facts.push(`usual gap ${plural(Math.round(candidate.medianGapDays), "day")}`);
    // Inactivity is "no order for N days" (≥); the cadence rule is "longer than k × the usual gap" (>).
    const lapsed = threshold.byCadence ? gap > threshold.days * DAY_MS : gap >= threshold.days * DAY_MS;
    if (!lapsed) {
      const multiplier = (rules.lapse as { multiplier?: number }).multiplier;
      const why = threshold.days === MIN_LAPSE_DAYS ? "the shortest lapse there is" : `${multiplier}× their usual gap`;
      blockers.push(
        threshold.byCadence
          ? `not lapsed for them yet (lapses after ${plural(Math.round(threshold.days), "day")}, ${why})`
          : `not lapsed yet (no order for ${plural(threshold.days, "day")} needed)`,
      );
    }
  }

  const segment = rules.segment;
  if (segment.kind === "preset") {
    const preset = RFM_PRESETS[segment.preset];
    if (candidate.rScore !== null) {
      facts.push(`recency ${candidate.rScore}/5`, `frequency ${candidate.fScore}/5`, `monetary ${candidate.mScore}/5`);
    }
    if (preset.r || preset.f || preset.m) {
      if (candidate.rScore === null) blockers.push("no RFM scores yet");
      else if (!inRange(candidate.rScore, preset.r) || !inRange(candidate.fScore, preset.f) || !inRange(candidate.mScore, preset.m)) {
        blockers.push(`not in the ${preset.label} segment`);
      }
    }
  } else {
    if (candidate.shopifyRfmGroup) facts.push(`Shopify RFM group ${candidate.shopifyRfmGroup}`);
    if (!candidate.shopifyRfmGroup || !(segment.groups as string[]).includes(candidate.shopifyRfmGroup)) {
      blockers.push(`Shopify RFM group is ${candidate.shopifyRfmGroup ?? "unknown"}, not ${segment.groups.join(" or ")}`);
    }
  }

  if (candidate.emailMarketingState === "SUBSCRIBED") facts.push("subscribed");
  else blockers.push(`not subscribed to e-mail marketing (${candidate.emailMarketingState ?? "unknown"})`);
  if (!candidate.email) blockers.push("no e-mail address");
  if (candidate.suppressedAt) blockers.push("suppressed (unsubscribed from our e-mails, bounced or complained)");
  if (candidate.lastCheckoutAt && since(candidate.lastCheckoutAt) < rules.checkoutQuietHours * HOUR_MS) {
    blockers.push(`started a checkout ${plural(Math.floor(since(candidate.lastCheckoutAt) / HOUR_MS), "hour")} ago`);
  }
  if (candidate.lastContactedAt && since(candidate.lastContactedAt) < rules.cooldownDays * DAY_MS) {
    blockers.push(
      `contacted ${plural(days(since(candidate.lastContactedAt)), "day")} ago (cool-down ${plural(rules.cooldownDays, "day")})`,
    );
  }

  const qualifies = blockers.length === 0;
  return {
    qualifies,
    facts,
    blockers,
    text: qualifies
      ? `Qualifies: ${facts.join("; ")}.`
      : `Does not qualify: ${blockers.join("; ")}.${facts.length ? ` (${facts.join("; ")})` : ""}`,
  };
}
