import { Link } from "@remix-run/react";
import { BlockStack, Card, InlineGrid, InlineStack, Text } from "@shopify/polaris";
import { CampaignStatusBadge } from "../CampaignStatusBadge";
import { Fact } from "../Fact";
import { formatCount, formatMoney, formatPoints } from "../format";
import type { Dashboard, DashboardCampaign } from "../../models/dashboard.server";
import { IntentButton } from "./IntentButton";

/** The shop's campaigns: the totals over all of them, then each with its status, what needs attention and its figures. */
export function CampaignsCard({ campaigns, totals, currency }: Pick<Dashboard, "campaigns" | "totals"> & { currency: string }) {
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Campaigns
          </Text>
          <IntentButton intent="create_campaign">Create campaign</IntentButton>
        </InlineStack>
        <InlineGrid columns={{ xs: 1, sm: 3 }} gap="300">
          <Fact label="Customers entered" value={formatCount(totals.entered)} />
          <Fact label="Conversions (contacted)" value={formatCount(totals.conversions)} />
          <Fact label="Revenue from conversions" value={formatMoney(totals.revenue, currency)} />
        </InlineGrid>
        {campaigns.map((campaign) => (
          <CampaignSummary key={campaign.id} campaign={campaign} currency={currency} />
        ))}
      </BlockStack>
    </Card>
  );
}

function CampaignSummary({ campaign, currency }: { campaign: DashboardCampaign; currency: string }) {
  const lift =
    campaign.liftPoints === null
      ? "Not enough data yet"
      : `${formatPoints(campaign.liftPoints)}${campaign.liftSignificant ? "" : " (not yet certain)"}`;
  return (
    <Card background="bg-surface-secondary">
      <BlockStack gap="200">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h3" variant="headingSm">
              {campaign.name}
            </Text>
            <CampaignStatusBadge status={campaign.status} />
          </InlineStack>
          <InlineStack gap="200">
            <Link to={`/app/campaigns/${campaign.id}`}>Edit</Link>
            <Link to={`/app/campaigns/${campaign.id}/results`}>Results</Link>
          </InlineStack>
        </InlineStack>
        {campaign.attention ? (
          <Text as="p" tone={campaign.status === "live" ? "critical" : "subdued"}>
            {campaign.attention}
          </Text>
        ) : null}
        <InlineGrid columns={{ xs: 2, sm: 4 }} gap="200">
          <Fact label="Entered" value={formatCount(campaign.entered)} />
          <Fact label="Conversions" value={formatCount(campaign.conversions)} />
          <Fact label="Revenue" value={formatMoney(campaign.revenue, currency)} />
          <Fact label="Lift against holdout" value={lift} />
        </InlineGrid>
      </BlockStack>
    </Card>
  );
}
