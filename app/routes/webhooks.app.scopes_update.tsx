import { rejectNonPost, webhookAction } from "../webhooks.server";

// app/scopes_update: verified, recorded and queued here; applied by app/jobs/process-webhook-event.handler.ts.
export const webhookTopic = "app/scopes_update";
export const action = webhookAction(webhookTopic);
export const loader = rejectNonPost;
