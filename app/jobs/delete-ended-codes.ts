import { scheduledJob } from "./define";

/** Every 15 minutes: delete from Shopify the codes nobody can use any more, shop by shop. */
export const deleteEndedCodes = scheduledJob({
  queue: "engine",
  name: "delete-ended-codes",
  schedule: { every: 15 * 60 * 1000 },
  handler: () => import("./delete-ended-codes.handler"),
});
