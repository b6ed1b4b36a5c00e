import { scheduledJob } from "./define";

/** Daily: a score-shop job for every installed shop. */
export const scoreAllShops = scheduledJob({
  queue: "maintenance",
  name: "score-all-shops",
  schedule: { every: 24 * 3600 * 1000 },
  handler: () => import("./score-all-shops.handler"),
});
