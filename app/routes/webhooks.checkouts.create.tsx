import { rejectNonPost, webhookAction } from "../webhooks.server";

// checkouts/create: verified, recorded and queued here; applied by app/jobs/process-webhook-event.handler.ts.
export const webhookTopic = "checkouts/create";
export const action = webhookAction(webhookTopic);
export const loader = rejectNonPost;
