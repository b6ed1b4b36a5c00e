import { describe, expect, it } from "vitest";
import type { Offer } from "../../app/domain/campaign";
import { applyMarginFloor } from "../../app/domain/margin";

const terms = {
  expiresInDays: 14,
  minimumSubtotal: null,
  combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: false },
};
const percent = (value: number): Offer => ({ kind: "percentage", value, ...terms });
const amount = (value: number): Offer => ({ kind: "fixed_amount", value, ...terms });

describe("the margin floor", () => {
  it("leaves an offer that keeps the margin, or when it is off or the cost unknown", () => {
    expect(applyMarginFloor(percent(10), { value: 100, costRatio: 0.5 }, 30)).toEqual({ offer: percent(10), reduced: false });
    expect(applyMarginFloor(percent(50), { value: 100, costRatio: 0.5 }, null)).toEqual({ offer: percent(50), reduced: false });
    expect(applyMarginFloor(percent(50), { value: 100, costRatio: null }, 30)).toEqual({ offer: percent(50), reduced: false });
  });

  it("reduces it to what keeps the floor: V − C/(1 − f)", () => {
    // V 100, C 60, floor 25%: at most 100 − 60/0.75 = 20 off.
    expect(applyMarginFloor(percent(30), { value: 100, costRatio: 0.6 }, 25)).toEqual({ offer: percent(20), reduced: true });
    expect(applyMarginFloor(amount(35), { value: 100, costRatio: 0.6 }, 25)).toEqual({ offer: amount(20), reduced: true });
  });

  it("withholds it when less than 1% or 1 unit would remain", () => {
    expect(applyMarginFloor(percent(10), { value: 100, costRatio: 0.75 }, 25)).toEqual({
      offer: null,
      reason: expect.stringMatching(/25% margin floor/),
    });
  });
});
