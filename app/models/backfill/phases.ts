import { customersPhase } from "./customers";
import { ordersPhase } from "./orders";
import type { BackfillPhaseImport } from "./phase";
import { productsPhase } from "./products";

/** The back-fill's phases, in the order they run (orders name customers; products come last for recommendations). */
export const BACKFILL_PHASES = ["customers", "orders", "products"] as const;
export type BackfillPhase = (typeof BACKFILL_PHASES)[number];

export const PHASES: Record<BackfillPhase, BackfillPhaseImport> = {
  customers: customersPhase,
  orders: ordersPhase,
  products: productsPhase,
};

/** The phase after `phase`, or "scoring" after the last. */
export function nextPhase(phase: BackfillPhase): BackfillPhase | "scoring" {
  return BACKFILL_PHASES[BACKFILL_PHASES.indexOf(phase) + 1] ?? "scoring";
}
