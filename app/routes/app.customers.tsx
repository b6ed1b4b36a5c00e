import type { ActionFunctionArgs } from "@remix-run/node";
import { searchCustomers } from "../models/email-preview.server";
import { authenticate } from "../shopify.server";
import { requireShopId } from "../utils/route-guards.server";

/** The preview's customer picker: the shop's customers by name or e-mail (POSTed: a search term is personal data, kept out of URLs and access logs). */
export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shopId = await requireShopId(session.shop);
  const body = (await request.json().catch(() => null)) as { q?: unknown } | null;
  const query = typeof body?.q === "string" ? body.q.slice(0, 100) : "";
  return Response.json({ customers: await searchCustomers(shopId, query) });
};
