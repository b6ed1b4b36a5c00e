import { rejectNonPost, webhookAction } from "../webhooks.server";

// customers/data_request: verified, recorded and queued here; applied by app/jobs/process-webhook-event.handler.ts.
export const webhookTopic = "customers/data_request";
export const action = webhookAction(webhookTopic);
export const loader = rejectNonPost;
