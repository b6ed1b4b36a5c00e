/**
 * Incremental lift against the holdout (PRODUCT.md §3.1): the conversion rate of contacted
 * customers against the holdout's, with a 95% confidence interval for the difference by
 * Newcombe's hybrid score method (his method 10: Wilson intervals of each rate, combined), which
 * behaves at small counts and near 0% where the textbook Wald interval does not. Extra orders and
 * revenue scale the difference to the contacted group; revenue is net of the discounts given.
 */

const Z95 = 1.959963984540054;

/** Wilson's score interval of a proportion x/n. */
export function wilsonInterval(successes: number, trials: number, z: number = Z95): { low: number; high: number } {
  if (trials === 0) return { low: 0, high: 1 };
  const p = successes / trials;
  const z2 = z * z;
  const centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
  const half = (z / (1 + z2 / trials)) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Newcombe's interval for p1 − p2 (x1/n1 − x2/n2). */
export function differenceInterval(
  x1: number,
  n1: number,
  x2: number,
  n2: number,
  z: number = Z95,
): { difference: number; low: number; high: number } {
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const a = wilsonInterval(x1, n1, z);
  const b = wilsonInterval(x2, n2, z);
  const difference = p1 - p2;
  return {
    difference,
    low: difference - Math.sqrt((p1 - a.low) ** 2 + (b.high - p2) ** 2),
    high: difference + Math.sqrt((a.high - p1) ** 2 + (p2 - b.low) ** 2),
  };
}

export interface GroupResult {
  customers: number;
  conversions: number;
  /** Revenue of their conversion orders (after refunds; cancelled orders count nothing). */
  revenue: number;
}

/** Below these, the dashboard says "not enough data yet" instead of a number that means nothing. */
export const MIN_GROUP_SIZE = 30;
export const MIN_CONVERSIONS = 10;

export type Lift =
  | { enoughData: false; reason: string }
  | {
      enoughData: true;
      contactedRate: number;
      holdoutRate: number;
      /** Contacted rate minus holdout rate, with its 95% interval. */
      difference: { value: number; low: number; high: number };
      /** Whether the interval excludes zero. */
      significant: boolean;
      /** Conversions the e-mails caused: the difference × contacted customers. */
      extraOrders: number;
      /** Revenue the e-mails caused, net of the discounts given to contacted customers. */
      extraRevenue: number;
    };

export function computeLift(contacted: GroupResult, holdout: GroupResult, discountCost: number): Lift {
  if (contacted.customers < MIN_GROUP_SIZE || holdout.customers < MIN_GROUP_SIZE) {
    return {
      enoughData: false,
      reason: `each group needs at least ${MIN_GROUP_SIZE} customers (contacted ${contacted.customers}, holdout ${holdout.customers})`,
    };
  }
  if (contacted.conversions + holdout.conversions < MIN_CONVERSIONS) {
    return {
      enoughData: false,
      reason: `at least ${MIN_CONVERSIONS} conversions are needed (so far ${contacted.conversions + holdout.conversions})`,
    };
  }
  const interval = differenceInterval(contacted.conversions, contacted.customers, holdout.conversions, holdout.customers);
  const revenuePerContacted = contacted.revenue / contacted.customers;
  const revenuePerHoldout = holdout.revenue / holdout.customers;
  return {
    enoughData: true,
    contactedRate: contacted.conversions / contacted.customers,
    holdoutRate: holdout.conversions / holdout.customers,
    difference: { value: interval.difference, low: interval.low, high: interval.high },
    significant: interval.low > 0 || interval.high < 0,
    extraOrders: interval.difference * contacted.customers,
    extraRevenue: (revenuePerContacted - revenuePerHoldout) * contacted.customers - discountCost,
  };
}
