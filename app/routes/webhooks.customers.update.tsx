import { rejectNonPost, webhookAction } from "../webhooks.server";

// customers/update: verified, recorded and queued here; applied by app/jobs/process-webhook-event.handler.ts.
export const webhookTopic = "customers/update";
export const action = webhookAction(webhookTopic);
export const loader = rejectNonPost;
