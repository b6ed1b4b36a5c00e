import { registeredCampaigns, reportEngagement, syncMarketingActivity } from "../models/marketing.server";
import { adminQuery, type AdminQuery } from "../models/shopify-admin.server";
import type { Attempt } from "./attempts";
import { eachIsolated } from "./each-isolated";

/** Each registered campaign: its status synced (should a sync job have been lost), then its finished days reported. */
export async function run(
  _payload?: object,
  _attempt?: Attempt,
  deps: { admin: AdminQuery } = { admin: adminQuery },
): Promise<{ campaigns: number; days: number }> {
  let days = 0;
  const campaigns = await registeredCampaigns();
  await eachIsolated(campaigns, async ({ shopId, campaignId }) => {
    await syncMarketingActivity(shopId, campaignId, { admin: deps.admin });
    days += await reportEngagement(shopId, campaignId, { admin: deps.admin });
  });
  return { campaigns: campaigns.length, days };
}
