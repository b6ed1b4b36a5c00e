import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook, rejectNonPost } from "../webhooks.server";

// customers/redact: verified, recorded and queued here; applied by app/jobs/process-webhook-event.handler.ts.
export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, "customers/redact");
export const loader = rejectNonPost;
