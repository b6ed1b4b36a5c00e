import { describe, expect, it } from "vitest";
import { decideStep, isQuiet, localHour, usualOrderHour, type StepFacts } from "../../app/domain/step-decision";

const hours = (counts: Record<number, number>) => Array.from({ length: 24 }, (_, hour) => counts[hour] ?? 0);

// 2026-11-20 is a Friday; Madrid is UTC+1 in November.
const facts = (overrides: Partial<StepFacts> = {}, customer: Partial<NonNullable<StepFacts["customer"]>> = {}): StepFacts => ({
  now: new Date("2026-11-20T12:00:00Z"),
  enteredAt: new Date("2026-11-10T12:00:00Z"),
  timezone: "Europe/Madrid",
  quietHours: { start: 21, end: 8 },
  defaultSendHour: 10,
  frequencyCapHours: 72,
  customer: {
    subscribed: true,
    suppressed: false,
    lastOrderAt: new Date("2026-07-01T10:00:00Z"),
    lastCheckoutAt: null,
    lastContactedAt: null,
    orderHours: hours({}),
    ...customer,
  },
  ...overrides,
});

describe("a due step", () => {
  it("is sent when nothing stands in the way", () => {
    expect(decideStep(facts())).toEqual({ kind: "send" });
  });

  it("ends the enrollment when the customer left", () => {
    expect(decideStep(facts({ customer: null }))).toEqual({ kind: "exit", reason: "customer_deleted" });
    expect(decideStep(facts({}, { subscribed: false }))).toEqual({ kind: "exit", reason: "unsubscribed" });
    expect(decideStep(facts({}, { suppressed: true }))).toEqual({ kind: "exit", reason: "unsubscribed" });
    expect(decideStep(facts({}, { lastOrderAt: new Date("2026-11-15T09:00:00Z") }))).toEqual({
      kind: "exit",
      reason: "ordered_on_their_own",
    });
    expect(decideStep(facts({}, { lastCheckoutAt: new Date("2026-11-19T09:00:00Z") }))).toEqual({
      kind: "exit",
      reason: "checkout_started",
    });
  });

  it("waits for the frequency cap", () => {
    expect(decideStep(facts({}, { lastContactedAt: new Date("2026-11-19T12:00:00Z") }))).toEqual({
      kind: "postpone",
      until: new Date("2026-11-22T12:00:00Z"),
      reason: "frequency cap",
    });
  });

  it("moves out of quiet hours in the shop's timezone, to the default hour", () => {
    // 22:30 in Madrid → 10:00 Madrid the next day = 09:00 UTC.
    expect(decideStep(facts({ now: new Date("2026-11-20T21:30:00Z") }))).toEqual({
      kind: "postpone",
      until: new Date("2026-11-21T09:00:00Z"),
      reason: "quiet hours",
    });
    expect(decideStep(facts({ now: new Date("2026-11-20T21:30:00Z"), quietHours: { start: 0, end: 0 } }))).toEqual({ kind: "send" });
  });

  it("goes out at the customer's usual ordering hour when it is not a quiet one", () => {
    const evening = hours({ 18: 3, 19: 2, 9: 1 }); // 19:00 / 20:00 Madrid
    expect(decideStep(facts({}, { orderHours: evening }))).toEqual({
      kind: "postpone",
      until: new Date("2026-11-20T18:00:00Z"),
      reason: "the customer's usual hour",
    });
    expect(decideStep(facts({ now: new Date("2026-11-20T18:20:00Z") }, { orderHours: evening }))).toEqual({ kind: "send" });
    // Their habit is 23:00 Madrid, a quiet hour: the shop's rules win.
    expect(decideStep(facts({}, { orderHours: hours({ 22: 4 }) }))).toEqual({ kind: "send" });
  });
});

describe("time helpers", () => {
  it("finds a habit only when half the orders share a 3-hour window", () => {
    expect(usualOrderHour(hours({ 18: 3, 19: 2, 9: 1 }))).toBe(18);
    expect(usualOrderHour(hours({ 23: 1, 0: 1 }))).toBe(0);
    expect(usualOrderHour(hours({ 3: 1, 9: 1, 15: 1, 21: 1 }))).toBeNull();
    expect(usualOrderHour(hours({ 3: 1 }))).toBeNull();
  });

  it("reads quiet hours across midnight, and the shop's local hour across DST", () => {
    expect([20, 21, 23, 0, 7, 8].map((hour) => isQuiet(hour, { start: 21, end: 8 }))).toEqual([false, true, true, true, true, false]);
    expect(isQuiet(14, { start: 13, end: 15 })).toBe(true);
    expect(localHour(new Date("2026-07-01T12:00:00Z"), "Europe/Madrid")).toBe(14);
    expect(localHour(new Date("2026-12-01T12:00:00Z"), "Europe/Madrid")).toBe(13);
  });
});
