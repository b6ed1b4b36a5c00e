import { describe, expect, it } from "vitest";
import { defaultCampaignSettings, type Offer } from "../../app/domain/campaign";
import {
  DEFAULT_NEW_OFFER,
  isSuggested,
  segmentForChoice,
  SHOPIFY_GROUPS_CHOICE,
  withLapseKind,
  withOfferKind,
  withOfferUse,
  withVariable,
} from "../../app/domain/campaign-edits";

describe("the editor's audience edits", () => {
  it("keeps the days typed for one lapse rule as the days of the other", () => {
    expect(withLapseKind({ kind: "inactivity", days: 120 }, "cadence")).toEqual({ kind: "cadence", multiplier: 2, fallbackDays: 120 });
    expect(withLapseKind({ kind: "cadence", multiplier: 3, fallbackDays: 60 }, "inactivity")).toEqual({ kind: "inactivity", days: 60 });
  });

  it("starts Shopify's groups with the two lapsing ones, and takes a preset as chosen", () => {
    expect(segmentForChoice(SHOPIFY_GROUPS_CHOICE)).toEqual({ kind: "shopify_rfm_groups", groups: ["AT_RISK", "ALMOST_LOST"] });
    expect(segmentForChoice("cant_lose")).toEqual({ kind: "preset", preset: "cant_lose" });
  });
});

describe("the editor's offer edits", () => {
  const [first, second] = defaultCampaignSettings().steps;

  it("gives a step switched to a new code the default offer, and shows the offer block only with an offer", () => {
    expect(withOfferUse(first!, "new")).toMatchObject({ offer: { use: "new", offer: DEFAULT_NEW_OFFER }, content: { showOffer: true } });
    expect(withOfferUse(second!, "previous")).toMatchObject({ offer: { use: "previous" }, content: { showOffer: true } });
    expect(withOfferUse(second!, "none")).toMatchObject({ offer: { use: "none" }, content: { showOffer: false } });
  });

  it("keeps the code's conditions when the kind changes, and the value unless one is given", () => {
    const offer: Offer = { ...DEFAULT_NEW_OFFER, value: 12, expiresInDays: 30, minimumSubtotal: 50 } as Offer;
    expect(withOfferKind(offer, "fixed_amount")).toEqual({ ...offer, kind: "fixed_amount", value: 12 });
    expect(withOfferKind(offer, "percentage", 20)).toEqual({ ...offer, value: 20 });
    const shipping = withOfferKind(offer, "free_shipping");
    expect(shipping).toEqual({ kind: "free_shipping", expiresInDays: 30, minimumSubtotal: 50, combinesWith: offer.combinesWith });
    expect(withOfferKind(shipping, "percentage")).toMatchObject({ kind: "percentage", value: 10 });
    expect(withOfferKind(shipping, "fixed_amount")).toMatchObject({ kind: "fixed_amount", value: 5 });
  });

  it("presses the suggestion that is the offer", () => {
    expect(isSuggested(DEFAULT_NEW_OFFER, { kind: "percentage", value: 10 })).toBe(true);
    expect(isSuggested(DEFAULT_NEW_OFFER, { kind: "percentage", value: 15 })).toBe(false);
    expect(isSuggested(withOfferKind(DEFAULT_NEW_OFFER, "free_shipping"), { kind: "free_shipping" })).toBe(true);
  });
});

describe("the variable picker", () => {
  it("puts the variable inside the body's last paragraph, else at the end of the field", () => {
    expect(withVariable("body", "<p>Hi</p>", "{{ shop.name }}")).toBe("<p>Hi {{ shop.name }}</p>");
    expect(withVariable("body", "Hi", "{{ shop.name }}")).toBe("Hi {{ shop.name }}");
    expect(withVariable("subject", "", "{{ customer.first_name }}")).toBe("{{ customer.first_name }}");
  });
});
