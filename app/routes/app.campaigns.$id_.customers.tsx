import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { campaignCustomers } from "../models/results.server";
import { authenticate } from "../shopify.server";
import { requireCampaign } from "../utils/route-guards.server";

// Whatever is sent, the list answers: a missing or odd term searches nothing, a missing or odd page is the first.
const listRequest = z
  .object({
    search: z
      .string()
      .catch("")
      .transform((search) => search.slice(0, 100)),
    page: z
      .number()
      .int()
      .catch(1)
      .transform((page) => Math.min(Math.max(page, 1), 10_000)),
  })
  .catch({ search: "", page: 1 });

/** A page of the campaign's customer list, searched by name or e-mail (POSTed, so the term stays out of URLs and logs). */
export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { shopId, campaign } = await requireCampaign(session.shop, params.id);
  const { search, page } = listRequest.parse(await request.json().catch(() => null));
  return Response.json({ ...(await campaignCustomers(shopId, campaign.id, { search, page })), search, page });
};
