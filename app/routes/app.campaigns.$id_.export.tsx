import type { LoaderFunctionArgs } from "@remix-run/node";
import { campaignCustomersCsv } from "../models/results-export.server";
import { authenticate } from "../shopify.server";
import { requireCampaign } from "../utils/route-guards.server";

/** The campaign's customers as CSV (fetched with the session token, saved by the page). */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { shopId, campaign } = await requireCampaign(session.shop, params.id);
  return new Response(await campaignCustomersCsv(shopId, campaign.id), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${campaign.handle}-customers.csv"`,
      "Cache-Control": "no-store",
    },
  });
};
