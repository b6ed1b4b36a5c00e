import prisma from "../db.server";
import { campaignSettingsSchema } from "../domain/campaign";
import { enrollEligible, type EnrollmentRun } from "../models/enrollments.server";
import type { EnrollCampaignPayload } from "./enroll-campaign";
import { engineNow } from "./engine-now";

export async function run({ shopId, campaignId }: EnrollCampaignPayload): Promise<EnrollmentRun | string> {
  const campaign = await prisma.campaign.findFirst({ where: { id: campaignId, shopId, status: "live", shop: { uninstalledAt: null } } });
  if (!campaign) return "not live";
  return enrollEligible(shopId, campaignId, campaignSettingsSchema.parse(campaign.settings), { now: engineNow() });
}
