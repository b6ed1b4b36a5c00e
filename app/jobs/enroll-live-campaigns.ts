import { scheduledJob } from "./define";

/** Hourly: an enroll-campaign job for every Live campaign. */
export const enrollLiveCampaigns = scheduledJob({
  queue: "engine",
  name: "enroll-live-campaigns",
  schedule: { every: 3600 * 1000 },
  handler: () => import("./enroll-live-campaigns.handler"),
});
