import { rejectNonPost, webhookAction } from "../webhooks.server";

// customers/delete: verified, recorded and queued here; applied by app/jobs/process-webhook-event.handler.ts.
export const webhookTopic = "customers/delete";
export const action = webhookAction(webhookTopic);
export const loader = rejectNonPost;
