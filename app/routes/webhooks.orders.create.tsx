import { rejectNonPost, webhookAction } from "../webhooks.server";

// orders/create: verified, recorded and queued here; applied by app/jobs/process-webhook-event.handler.ts.
export const webhookTopic = "orders/create";
export const action = webhookAction(webhookTopic);
export const loader = rejectNonPost;
