import prisma from "../db.server";
import { syncMarketingActivity } from "../models/marketing.server";
import { adminQuery, type AdminQuery } from "../models/shopify-admin.server";
import type { Attempt } from "./attempts";
import type { SyncMarketingActivityPayload } from "./sync-marketing-activity";

export async function run(
  { shopId, campaignId }: SyncMarketingActivityPayload,
  _attempt?: Attempt,
  deps: { admin: AdminQuery } = { admin: adminQuery },
) {
  const shop = await prisma.shop.findFirst({ where: { id: shopId, uninstalledAt: null }, select: { id: true } });
  return shop ? syncMarketingActivity(shopId, campaignId, { admin: deps.admin }) : "not installed";
}
