import { describe, expect, it } from "vitest";
import { computeLift, differenceInterval, wilsonInterval } from "../../app/domain/lift";

const round4 = (value: number) => Math.round(value * 10_000) / 10_000;

describe("confidence intervals (against published values)", () => {
  it("Wilson's interval: Newcombe (1998), 81/263 → 0.2553 to 0.3662", () => {
    const { low, high } = wilsonInterval(81, 263);
    expect([round4(low), round4(high)]).toEqual([0.2553, 0.3662]);
  });

  it("Newcombe's method 10 for a difference: 56/70 − 48/80 → 0.0524 to 0.3339", () => {
    const interval = differenceInterval(56, 70, 48, 80);
    expect(round4(interval.difference)).toBe(0.2);
    expect([round4(interval.low), round4(interval.high)]).toEqual([0.0524, 0.3339]);
  });

  it("stays inside [−1, 1] at the edges: 10/10 − 0/10", () => {
    const interval = differenceInterval(10, 10, 0, 10);
    expect(interval.high).toBeLessThanOrEqual(1);
    expect(interval.low).toBeGreaterThan(0);
  });
});

describe("lift against the holdout", () => {
  it("says there is not enough data below the minimum sample", () => {
    expect(computeLift({ customers: 25, conversions: 5, revenue: 400 }, { customers: 5, conversions: 0, revenue: 0 }, 0)).toEqual({
      enoughData: false,
      reason: expect.stringMatching(/at least 30 customers/),
    });
    expect(computeLift({ customers: 300, conversions: 4, revenue: 400 }, { customers: 40, conversions: 1, revenue: 90 }, 0)).toEqual({
      enoughData: false,
      reason: expect.stringMatching(/at least 10 conversions/),
    });
  });

  it("reports rates, the interval, extra orders and revenue net of discounts", () => {
    // 9,000 contacted, 630 converted (7%), €50,400; 1,000 held out, 30 converted (3%), €2,400; €5,040 of discounts.
    const lift = computeLift(
      { customers: 9000, conversions: 630, revenue: 50_400 },
      { customers: 1000, conversions: 30, revenue: 2400 },
      5040,
    );
    expect(lift).toMatchObject({ enoughData: true, contactedRate: 0.07, holdoutRate: 0.03, significant: true });
    if (!lift.enoughData) throw new Error("unreachable");
    expect(round4(lift.difference.value)).toBe(0.04);
    expect(lift.difference.low).toBeGreaterThan(0.02);
    expect(lift.difference.high).toBeLessThan(0.06);
    expect(Math.round(lift.extraOrders)).toBe(360);
    // (€5.60 − €2.40 per customer) × 9,000 − €5,040
    expect(Math.round(lift.extraRevenue)).toBe(23_760);
  });

  it("is not significant when the interval spans zero", () => {
    const lift = computeLift({ customers: 200, conversions: 10, revenue: 800 }, { customers: 50, conversions: 2, revenue: 160 }, 100);
    expect(lift).toMatchObject({ enoughData: true, significant: false });
  });
});
