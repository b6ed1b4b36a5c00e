import type { ActionFunctionArgs } from "@remix-run/node";
import { audienceRulesSchema } from "../domain/audience";
import { countEligible } from "../models/audience.server";
import { authenticate } from "../shopify.server";
import { requireCampaign } from "../utils/route-guards.server";

/** The editor's live count: how many subscribed customers the audience as edited picks today. */
export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { shopId } = await requireCampaign(session.shop, params.id);
  const body = (await request.json().catch(() => null)) as { audience?: unknown } | null;
  const audience = audienceRulesSchema.safeParse(body?.audience);
  if (!audience.success) return Response.json({ error: "Complete the trigger and audience to see who qualifies" });
  return Response.json({ count: await countEligible(shopId, audience.data) });
};
