import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook, rejectNonPost } from "../webhooks.server";

// customers/data_request: verified, recorded and queued here; applied by workers/processors/webhook-event.ts.
export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, "customers/data_request");
export const loader = rejectNonPost;
