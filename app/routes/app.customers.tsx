import type { LoaderFunctionArgs } from "@remix-run/node";
import { searchCustomers } from "../models/email-preview.server";
import { authenticate } from "../shopify.server";
import { requireShopId } from "../utils/route-guards.server";

/** The preview's customer picker: the shop's customers by name or e-mail. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shopId = await requireShopId(session.shop);
  const query = new URL(request.url).searchParams.get("q") ?? "";
  return Response.json({ customers: await searchCustomers(shopId, query.slice(0, 100)) });
};
