import type { ActionFunctionArgs } from "@remix-run/node";
import { campaignCustomers } from "../models/results.server";
import { authenticate } from "../shopify.server";
import { requireCampaign } from "../utils/route-guards.server";

/** A page of the campaign's customer list, searched by name or e-mail (POSTed, so the term stays out of URLs and logs). */
export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { shopId, campaign } = await requireCampaign(session.shop, params.id);
  const body = (await request.json().catch(() => null)) as { search?: unknown; page?: unknown } | null;
  const search = typeof body?.search === "string" ? body.search.slice(0, 100) : "";
  const page = typeof body?.page === "number" && Number.isSafeInteger(body.page) ? Math.min(Math.max(body.page, 1), 10_000) : 1;
  return Response.json({ ...(await campaignCustomers(shopId, campaign.id, { search, page })), search, page });
};
