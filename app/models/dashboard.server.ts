import prisma from "../db.server";
import type { CampaignStatus } from "../domain/campaign";
import { breakdownOf, type AudienceBreakdown } from "./audience-summary.server";
import { listCampaigns, problemsOf } from "./campaigns.server";
import { flowSettingsOf } from "./flow-triggers.server";
import { campaignHeadline } from "./results.server";
import { getShopOverview, type ShopOverview } from "./shop.server";

/**
 * The merchant's home page: the shop and its data sync, today's lapsed audience (a summary taken
 * with the scores, one row to read), and each campaign with what needs attention and its headline
 * results (aggregates over its enrollments, by index). Nothing here reads all customers.
 */

export interface DashboardCampaign {
  id: number;
  name: string;
  status: CampaignStatus;
  /** One line when the merchant should act, else null. */
  attention: string | null;
  entered: number;
  contacted: number;
  conversions: number;
  revenue: number;
  /** Incremental conversions per 100 contacted against the holdout, when there is enough data. */
  liftPoints: number | null;
  liftSignificant: boolean;
}

export interface Dashboard {
  overview: ShopOverview;
  /** Shopify Flow triggers turned on (events from then on are sent). */
  flowTriggers: boolean;
  audience: AudienceBreakdown | null;
  campaigns: DashboardCampaign[];
  totals: { entered: number; conversions: number; revenue: number };
}

export async function getDashboard(shopId: number, { now = new Date() }: { now?: Date } = {}): Promise<Dashboard> {
  const overview = await getShopOverview(shopId, { now });
  const shop = await prisma.shop.findUniqueOrThrow({
    where: { id: shopId },
    select: { audienceSummary: true, audienceSummaryAt: true, settings: true },
  });
  const campaigns = await Promise.all(
    (await listCampaigns(shopId)).map(async (campaign): Promise<DashboardCampaign> => {
      const [problems, results] = await Promise.all([
        problemsOf(shopId, campaign, { eligibleToday: null }, { now }),
        campaignHeadline(shopId, campaign.id),
      ]);
      const blocking = problems.find((problem) => problem.severity === "blocking");
      const attention =
        campaign.status === "live" && blocking
          ? `Sending is held: ${blocking.message}`
          : campaign.status === "draft"
            ? (blocking?.message ?? "Ready to go Live: run the pre-launch check")
            : campaign.status === "paused"
              ? "Paused: no one enters and no e-mail goes out until you resume"
              : null;
      return {
        id: campaign.id,
        name: campaign.settings.name,
        status: campaign.status,
        attention,
        entered: results.entered,
        contacted: results.contacted,
        conversions: results.conversions.contacted,
        revenue: results.revenue,
        liftPoints: results.lift.enoughData ? results.lift.difference.value * 100 : null,
        liftSignificant: results.lift.enoughData && results.lift.significant,
      };
    }),
  );
  const sum = (key: "entered" | "conversions" | "revenue") => campaigns.reduce((total, campaign) => total + campaign[key], 0);
  return {
    overview,
    flowTriggers: flowSettingsOf(shop.settings).enabled,
    audience: breakdownOf(shop.audienceSummary, shop.audienceSummaryAt),
    campaigns,
    totals: { entered: sum("entered"), conversions: sum("conversions"), revenue: sum("revenue") },
  };
}
