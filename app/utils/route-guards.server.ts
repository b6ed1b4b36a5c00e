import { getCampaign, type CampaignView } from "../models/campaigns.server";
import { recordInstall, shopIdForDomain } from "../models/shop.server";

/**
 * For the embedded app's routes: the shop always comes from the authenticated session, and a
 * campaign id in the URL is looked up within that shop only, so another shop's campaign is a 404
 * (it is not revealed to exist).
 */

export async function requireShopId(shopDomain: string): Promise<number> {
  const shopId = await shopIdForDomain(shopDomain);
  if (shopId === null) throw new Response("Shop not found", { status: 404 });
  return shopId;
}

/** The home page's shop: a valid session without a shop row means afterAuth stopped half-way; the install is completed now. */
export async function ensureShopId(shopDomain: string): Promise<number> {
  return (await shopIdForDomain(shopDomain)) ?? (await recordInstall(shopDomain));
}

export async function requireCampaign(
  shopDomain: string,
  idParam: string | undefined,
): Promise<{ shopId: number; campaign: CampaignView }> {
  const shopId = await requireShopId(shopDomain);
  const id = Number(idParam);
  const campaign = Number.isSafeInteger(id) && id > 0 ? await getCampaign(shopId, id) : null;
  if (!campaign) throw new Response("Campaign not found", { status: 404 });
  return { shopId, campaign };
}
