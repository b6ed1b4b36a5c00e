import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook, rejectNonPost } from "../webhooks.server";

// customers/delete: verified, recorded and queued here; applied by app/jobs/process-webhook-event.handler.ts.
export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, "customers/delete");
export const loader = rejectNonPost;
