import type { Offer } from "./campaign";

/**
 * The margin guardrail (PRODUCT.md §3.4): a discount may not take the customer's typical order
 * below the merchant's margin floor. With the typical order value V, its cost C (from product
 * costs Shopify knows) and the floor f, an order discounted by d keeps margin (V − d − C)/(V − d),
 * which stays ≥ f while d ≤ V − C/(1 − f). The offer is reduced to that, or withheld when less
 * than 1% (or 1 unit of money) would remain. Without a known cost nothing is changed; free
 * shipping is left alone (its cost is not known here).
 */

export interface TypicalOrder {
  /** Average order value in the shop's currency. */
  value: number;
  /** Share of the price that is product cost (0–1), from the customer's products with a known cost; null when unknown. */
  costRatio: number | null;
}

export type GuardedOffer = { offer: Offer; reduced: boolean } | { offer: null; reason: string };

export function applyMarginFloor(offer: Offer, typical: TypicalOrder, floorPercent: number | null): GuardedOffer {
  if (floorPercent === null || offer.kind === "free_shipping" || typical.costRatio === null || typical.value <= 0)
    return { offer, reduced: false };
  const floor = floorPercent / 100;
  const cost = typical.value * typical.costRatio;
  const maxDiscount = typical.value - cost / (1 - floor);
  if (offer.kind === "percentage") {
    const maxPercent = Math.floor((maxDiscount / typical.value) * 100);
    if (maxPercent >= offer.value) return { offer, reduced: false };
    if (maxPercent < 1) return { offer: null, reason: `any discount would take their usual order below the ${floorPercent}% margin floor` };
    return { offer: { ...offer, value: maxPercent }, reduced: true };
  }
  const maxAmount = Math.floor(maxDiscount);
  if (maxAmount >= offer.value) return { offer, reduced: false };
  if (maxAmount < 1) return { offer: null, reason: `any discount would take their usual order below the ${floorPercent}% margin floor` };
  return { offer: { ...offer, value: maxAmount }, reduced: true };
}
