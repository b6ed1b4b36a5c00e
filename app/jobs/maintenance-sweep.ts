import { scheduledJob } from "./define";

/** Every minute: re-derive work Redis may have lost and purge expired records. */
export const maintenanceSweep = scheduledJob({
  queue: "maintenance",
  name: "maintenance-sweep",
  schedule: { every: 60_000 },
  handler: () => import("./maintenance-sweep.handler"),
});
