import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Banner, Layout, Page } from "@shopify/polaris";
import { CampaignStatusBadge } from "../components/CampaignStatusBadge";
import { CustomersCard } from "../components/results/CustomersCard";
import { FunnelCard } from "../components/results/FunnelCard";
import { LiftCard } from "../components/results/LiftCard";
import { RevenueCard } from "../components/results/RevenueCard";
import { StepsCard } from "../components/results/StepsCard";
import { useCsvExport } from "../components/results/useCsvExport";
import { skipAfterReadOnlyActions } from "../components/revalidation";
import { exportBanner } from "../domain/csv-export";
import { campaignCustomers, campaignResults, revenueByDay } from "../models/results.server";
import { getShopOverview } from "../models/shop.server";
import { authenticate } from "../shopify.server";
import { requireCampaign } from "../utils/route-guards.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { shopId, campaign } = await requireCampaign(session.shop, params.id);
  const overview = await getShopOverview(shopId);
  const timezone = overview.ianaTimezone ?? "UTC";
  const [results, daily, customers] = await Promise.all([
    campaignResults(shopId, campaign.id),
    revenueByDay(shopId, campaign.id, timezone),
    campaignCustomers(shopId, campaign.id, { page: 1 }),
  ]);
  return {
    campaign: {
      id: campaign.id,
      name: campaign.settings.name,
      status: campaign.status,
      attributionWindowDays: campaign.settings.attributionWindowDays,
    },
    currency: overview.currencyCode ?? "USD",
    timezone,
    results,
    daily,
    customers,
  };
};

export const shouldRevalidate = skipAfterReadOnlyActions;

export default function ResultsPage() {
  const { campaign, currency, timezone, results, daily, customers } = useLoaderData<typeof loader>();
  const csv = useCsvExport(campaign.id);
  const banner = exportBanner(csv.state);
  return (
    <Page
      backAction={{ content: "Campaign", url: `/app/campaigns/${campaign.id}` }}
      title={`Results: ${campaign.name}`}
      titleMetadata={<CampaignStatusBadge status={campaign.status} />}
      secondaryActions={[{ content: "Export customers (CSV)", onAction: csv.start }]}
    >
      <Layout>
        {banner ? (
          <Layout.Section>
            <Banner tone={banner.tone} title={banner.title} />
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <RevenueCard results={results} daily={daily} currency={currency} attributionWindowDays={campaign.attributionWindowDays} />
        </Layout.Section>
        <Layout.Section>
          <LiftCard results={results} currency={currency} />
        </Layout.Section>
        <Layout.Section>
          <FunnelCard results={results} />
        </Layout.Section>
        <Layout.Section>
          <StepsCard steps={results.steps} currency={currency} />
        </Layout.Section>
        <Layout.Section>
          <CustomersCard campaignId={campaign.id} firstPage={customers} timezone={timezone} currency={currency} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
