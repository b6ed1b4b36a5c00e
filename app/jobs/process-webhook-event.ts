import { z } from "zod";
import { defineJob, idSchema } from "./define";

const schema = z.object({ webhookEventId: idSchema });
export type ProcessWebhookEventPayload = z.infer<typeof schema>;

/** Apply one recorded webhook delivery (webhook_events row) to our state. */
export const processWebhookEvent = defineJob({
  queue: "webhooks",
  name: "process-webhook-event",
  payload: schema,
  // Deterministic: a repeated delivery or a sweeper re-enqueue of the same row is one job.
  options: (p) => ({ jobId: `webhook-event-${p.webhookEventId}` }),
  handler: () => import("./process-webhook-event.handler"),
});
