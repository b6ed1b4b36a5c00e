import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { searchCustomers } from "../models/email-preview.server";
import { authenticate } from "../shopify.server";
import { requireShopId } from "../utils/route-guards.server";

// A missing or odd term lists the first customers.
const searchRequest = z
  .object({
    q: z
      .string()
      .catch("")
      .transform((q) => q.slice(0, 100)),
  })
  .catch({ q: "" });

/** The preview's customer picker: the shop's customers by name or e-mail (POSTed: a search term is personal data, kept out of URLs and access logs). */
export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shopId = await requireShopId(session.shop);
  const { q } = searchRequest.parse(await request.json().catch(() => null));
  return Response.json({ customers: await searchCustomers(shopId, q) });
};
