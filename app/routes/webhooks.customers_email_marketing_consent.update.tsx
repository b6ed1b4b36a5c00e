import { rejectNonPost, webhookAction } from "../webhooks.server";

// customers_email_marketing_consent/update: verified, recorded and queued here; applied by app/jobs/process-webhook-event.handler.ts.
export const webhookTopic = "customers_email_marketing_consent/update";
export const action = webhookAction(webhookTopic);
export const loader = rejectNonPost;
