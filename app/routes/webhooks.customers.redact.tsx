import { rejectNonPost, webhookAction } from "../webhooks.server";

// customers/redact: verified, recorded and queued here; applied by app/jobs/process-webhook-event.handler.ts.
export const webhookTopic = "customers/redact";
export const action = webhookAction(webhookTopic);
export const loader = rejectNonPost;
