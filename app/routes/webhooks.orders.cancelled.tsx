import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook, rejectNonPost } from "../webhooks.server";

// orders/cancelled: verified, recorded and queued here; applied by app/jobs/process-webhook-event.handler.ts.
export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, "orders/cancelled");
export const loader = rejectNonPost;
