import type { AudienceRules } from "./audience";
// Types only: the settings schema (and the Liquid check it runs) stays out of the editor's browser bundle.
import type { CampaignSettings, Offer } from "./campaign";

/**
 * The campaign editor's edits of one part of the settings, as pure functions of what is edited:
 * what changes with the lapse kind, the segment, a step's offer, the offer's kind, and where a
 * picked variable goes.
 */

type Step = CampaignSettings["steps"][number];

/** A new code's starting point: a step that switches to "a new personal code", or a step added after the last. */
export const DEFAULT_NEW_OFFER: Offer = {
  kind: "percentage",
  value: 10,
  expiresInDays: 14,
  minimumSubtotal: null,
  combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: false },
};

/** Switching the lapse rule keeps the days typed for one as the days of the other. */
export function withLapseKind(lapse: AudienceRules["lapse"], kind: AudienceRules["lapse"]["kind"]): AudienceRules["lapse"] {
  if (kind === "inactivity") return { kind, days: lapse.kind === "cadence" ? lapse.fallbackDays : lapse.days };
  return { kind, multiplier: 2, fallbackDays: lapse.kind === "inactivity" ? lapse.days : lapse.fallbackDays };
}

export const SHOPIFY_GROUPS_CHOICE = "shopify_rfm_groups";

/** The segment for a choice of "Who": a preset, or Shopify's groups starting with the two lapsing ones. */
export function segmentForChoice(choice: string): AudienceRules["segment"] {
  return choice === SHOPIFY_GROUPS_CHOICE
    ? { kind: "shopify_rfm_groups", groups: ["AT_RISK", "ALMOST_LOST"] }
    : { kind: "preset", preset: choice as Extract<AudienceRules["segment"], { kind: "preset" }>["preset"] };
}

/** A step's offer changed: a new code starts from the default, and the offer block shows when there is an offer. */
export function withOfferUse(step: Step, use: Step["offer"]["use"]): Step {
  return {
    ...step,
    offer: use === "new" ? { use: "new", offer: DEFAULT_NEW_OFFER } : { use },
    content: { ...step.content, showOffer: use !== "none" },
  };
}

/** The offer's kind changed (or a suggestion picked): its conditions stay, a value is kept or defaulted. */
export function withOfferKind(offer: Offer, kind: Offer["kind"], value?: number): Offer {
  const base = { expiresInDays: offer.expiresInDays, minimumSubtotal: offer.minimumSubtotal, combinesWith: offer.combinesWith };
  if (kind === "free_shipping") return { ...base, kind };
  return { ...base, kind, value: value ?? offerValue(offer) ?? (kind === "percentage" ? 10 : 5) };
}

/** The offer's value as edited (null while its field is empty, none for free shipping). */
export function offerValue(offer: Offer): number | null {
  return "value" in offer ? (offer.value as number | null) : null;
}

/** A suggested offer is shown pressed when the offer is that kind (and that value, when the suggestion has one). */
export function isSuggested(offer: Offer, suggestion: { kind: Offer["kind"]; value?: number }): boolean {
  return offer.kind === suggestion.kind && (suggestion.value === undefined || suggestion.value === offerValue(offer));
}

/** A picked variable goes at the end of the field last focused; in a body ending with a paragraph, inside that paragraph. */
export function withVariable(field: string, current: string, variable: string): string {
  return field === "body" && current.endsWith("</p>") ? `${current.slice(0, -4)} ${variable}</p>` : `${current} ${variable}`.trim();
}
