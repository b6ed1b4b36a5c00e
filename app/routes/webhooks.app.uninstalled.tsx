import { rejectNonPost, webhookAction } from "../webhooks.server";

// app/uninstalled: verified, recorded and queued here; applied by app/jobs/process-webhook-event.handler.ts.
export const webhookTopic = "app/uninstalled";
export const action = webhookAction(webhookTopic);
export const loader = rejectNonPost;
