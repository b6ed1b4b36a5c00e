import { rejectNonPost, webhookAction } from "../webhooks.server";

// orders/cancelled: verified, recorded and queued here; applied by app/jobs/process-webhook-event.handler.ts.
export const webhookTopic = "orders/cancelled";
export const action = webhookAction(webhookTopic);
export const loader = rejectNonPost;
