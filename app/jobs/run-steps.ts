import { z } from "zod";
import { defineJob, idSchema, shopIdSchema } from "./define";

const schema = z.object({ shopId: shopIdSchema, enrollmentIds: z.array(idSchema).min(1).max(100) });
export type RunStepsPayload = z.infer<typeof schema>;

/** Run the due steps of up to 50 enrollments of one shop (app/models/steps.server.ts). */
export const runSteps = defineJob({
  queue: "engine",
  name: "run-steps",
  payload: schema,
  options: (p) => ({ deduplication: { id: `steps-${p.shopId}-${p.enrollmentIds[0]}-${p.enrollmentIds.length}` } }),
  handler: () => import("./run-steps.handler"),
});
