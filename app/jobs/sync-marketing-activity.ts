import { z } from "zod";
import { defineJob, shopIdSchema } from "./define";

const schema = z.object({ shopId: shopIdSchema, campaignId: z.number().int().positive() });
export type SyncMarketingActivityPayload = z.infer<typeof schema>;

/** Register a campaign with Shopify Marketing, or update its status (Live, Paused, deleted). */
export const syncMarketingActivity = defineJob({
  queue: "engine",
  name: "sync-marketing-activity",
  payload: schema,
  handler: () => import("./sync-marketing-activity.handler"),
});
