import prisma from "../db.server";
import { enqueue } from "./client.server";

export async function run(): Promise<number> {
  const campaigns = await prisma.campaign.findMany({
    where: { status: "live", shop: { uninstalledAt: null } },
    select: { id: true, shopId: true },
  });
  for (const campaign of campaigns) await enqueue("enrollCampaign", { shopId: campaign.shopId, campaignId: campaign.id });
  return campaigns.length;
}
