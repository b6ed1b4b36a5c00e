import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { audienceRulesSchema } from "../domain/audience";
import { countEligible } from "../models/audience.server";
import { authenticate } from "../shopify.server";
import { requireCampaign } from "../utils/route-guards.server";

const countRequest = z.object({ audience: audienceRulesSchema });

/** The editor's live count: how many subscribed customers the audience as edited picks today. */
export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { shopId } = await requireCampaign(session.shop, params.id);
  const body = countRequest.safeParse(await request.json().catch(() => null));
  if (!body.success) return Response.json({ error: "Complete the trigger and audience to see who qualifies" });
  return Response.json({ count: await countEligible(shopId, body.data.audience) });
};
