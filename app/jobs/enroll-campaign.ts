import { z } from "zod";
import { defineJob, shopIdSchema } from "./define";

const schema = z.object({ shopId: shopIdSchema, campaignId: z.number().int().positive() });
export type EnrollCampaignPayload = z.infer<typeof schema>;

/** Enter the customers who qualify today into a Live campaign (app/models/enrollments.server.ts). */
export const enrollCampaign = defineJob({
  queue: "engine",
  name: "enroll-campaign",
  payload: schema,
  options: (p) => ({ deduplication: { id: `enroll-${p.campaignId}` } }),
  handler: () => import("./enroll-campaign.handler"),
});
