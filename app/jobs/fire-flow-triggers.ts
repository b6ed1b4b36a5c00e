import { scheduledJob } from "./define";

/** Every minute: record and fire the Shopify Flow trigger events of shops that turned them on. */
export const fireFlowTriggers = scheduledJob({
  queue: "engine",
  name: "fire-flow-triggers",
  schedule: { every: 60_000 },
  handler: () => import("./fire-flow-triggers.handler"),
});
