import { scheduledJob } from "./define";

/** Hourly: every registered campaign's status synced and its finished days reported to Shopify Marketing. */
export const reportMarketing = scheduledJob({
  queue: "engine",
  name: "report-marketing",
  schedule: { every: 3600 * 1000 },
  handler: () => import("./report-marketing.handler"),
});
