import { scheduledJob } from "./define";

/** Hourly: the retention of records of finished work (app/models/retention.server.ts). */
export const purgeFinishedRecords = scheduledJob({
  queue: "maintenance",
  name: "purge-finished-records",
  schedule: { every: 3600 * 1000 },
  handler: () => import("./purge-finished-records.handler"),
});
