/**
 * What to do with a due step, decided right before anything is sent (the enrollment may be days
 * old): send it now, postpone it (frequency cap, quiet hours, the customer's usual hour), or end
 * the enrollment because the customer left.
 */

export interface StepFacts {
  now: Date;
  enteredAt: Date;
  /** The shop's IANA timezone (quiet hours and the default send hour are in it). */
  timezone: string;
  quietHours: { start: number; end: number };
  defaultSendHour: number;
  frequencyCapHours: number;
  customer: {
    subscribed: boolean;
    suppressed: boolean;
    lastOrderAt: Date | null;
    lastCheckoutAt: Date | null;
    lastContactedAt: Date | null;
    /** Orders per UTC hour of the day (24 counts). */
    orderHours: number[];
  } | null;
}

export type ExitReason = "customer_deleted" | "unsubscribed" | "ordered_on_their_own" | "checkout_started";

export type StepDecision = { kind: "send" } | { kind: "postpone"; until: Date; reason: string } | { kind: "exit"; reason: ExitReason };

const HOUR_MS = 3600 * 1000;

/** The hour of `at` in `timezone` (0–23). */
export function localHour(at: Date, timezone: string): number {
  const hour = new Intl.DateTimeFormat("en-US", { hour: "numeric", hourCycle: "h23", timeZone: timezone }).format(at);
  return Number(hour) % 24;
}

export function isQuiet(hour: number, quietHours: { start: number; end: number }): boolean {
  const { start, end } = quietHours;
  if (start === end) return false;
  return start < end ? hour >= start && hour < end : hour >= start || hour < end;
}

/** The first whole hour at or after `from` for which `accept(that instant)` holds (within 48 hours). */
function nextHour(from: Date, accept: (at: Date) => boolean): Date {
  let at = new Date(Math.ceil(from.getTime() / HOUR_MS) * HOUR_MS);
  for (let i = 0; i < 48 && !accept(at); i++) at = new Date(at.getTime() + HOUR_MS);
  return at;
}

/**
 * The UTC hour the customer usually orders at: the centre of the 3-hour window holding at least
 * half of their orders (and at least 2), or null when their history shows no habit.
 */
export function usualOrderHour(orderHours: number[]): number | null {
  const total = orderHours.reduce((sum, count) => sum + count, 0);
  if (orderHours.length !== 24 || total < 2) return null;
  let best = { hour: -1, count: 0 };
  for (let hour = 0; hour < 24; hour++) {
    const count = orderHours[(hour + 23) % 24]! + orderHours[hour]! + orderHours[(hour + 1) % 24]!;
    if (count > best.count || (count === best.count && orderHours[hour]! > orderHours[best.hour]!)) best = { hour, count };
  }
  return best.count >= 2 && best.count * 2 >= total ? best.hour : null;
}

export function decideStep(facts: StepFacts): StepDecision {
  const { customer, now } = facts;
  if (!customer) return { kind: "exit", reason: "customer_deleted" };
  if (!customer.subscribed || customer.suppressed) return { kind: "exit", reason: "unsubscribed" };
  if (customer.lastOrderAt && customer.lastOrderAt > facts.enteredAt) return { kind: "exit", reason: "ordered_on_their_own" };
  if (customer.lastCheckoutAt && customer.lastCheckoutAt > facts.enteredAt) return { kind: "exit", reason: "checkout_started" };

  if (facts.frequencyCapHours > 0 && customer.lastContactedAt) {
    const allowedFrom = new Date(customer.lastContactedAt.getTime() + facts.frequencyCapHours * HOUR_MS);
    if (allowedFrom > now) return { kind: "postpone", until: allowedFrom, reason: "frequency cap" };
  }

  const quiet = (at: Date) => isQuiet(localHour(at, facts.timezone), facts.quietHours);
  const usual = usualOrderHour(customer.orderHours);
  if (usual !== null && !quiet(nextHour(now, (at) => at.getUTCHours() === usual))) {
    if (now.getUTCHours() === usual) return { kind: "send" };
    return { kind: "postpone", until: nextHour(now, (at) => at.getUTCHours() === usual), reason: "the customer's usual hour" };
  }
  if (quiet(now)) {
    const until = nextHour(now, (at) => localHour(at, facts.timezone) === facts.defaultSendHour && !quiet(at));
    return { kind: "postpone", until, reason: "quiet hours" };
  }
  return { kind: "send" };
}
