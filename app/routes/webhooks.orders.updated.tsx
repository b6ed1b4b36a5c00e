import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook, rejectNonPost } from "../webhooks.server";

// orders/updated: verified, recorded and queued here; applied by app/jobs/process-webhook-event.handler.ts.
export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, "orders/updated");
export const loader = rejectNonPost;
