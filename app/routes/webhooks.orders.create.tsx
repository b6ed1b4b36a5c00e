import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook, rejectNonPost } from "../webhooks.server";

// orders/create: verified, recorded and queued here; applied by app/jobs/process-webhook-event.handler.ts.
export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, "orders/create");
export const loader = rejectNonPost;
