import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook, rejectNonPost } from "../webhooks.server";

// shop/redact: verified, recorded and queued here; applied by workers/processors/webhook-event.ts.
export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, "shop/redact");
export const loader = rejectNonPost;
