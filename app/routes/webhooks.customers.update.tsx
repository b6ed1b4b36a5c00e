import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook, rejectNonPost } from "../webhooks.server";

// customers/update: verified, recorded and queued here; applied by workers/processors/webhook-event.ts.
export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, "customers/update");
export const loader = rejectNonPost;
