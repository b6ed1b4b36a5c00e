import { Badge, Banner, BlockStack, Card, InlineGrid, InlineStack, Text } from "@shopify/polaris";
import { Fact } from "../Fact";
import { formatDateTime } from "../format";
import { syncBadge, syncInProgress } from "../../domain/sync-status";
import type { ShopOverview } from "../../models/shop.server";
import { IntentButton } from "./IntentButton";

/** The back-fill: its state, what it imported, when, its error, and "Read again from Shopify". */
export function CustomerDataCard({
  sync,
  timezone,
  resyncStarted,
}: {
  sync: ShopOverview["sync"];
  timezone: string;
  resyncStarted: boolean;
}) {
  const badge = syncBadge(sync);
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h2" variant="headingMd">
              Customer data
            </Text>
            <Badge tone={badge.tone}>{badge.label}</Badge>
          </InlineStack>
          <IntentButton intent="resync" disabled={syncInProgress(sync.state)}>
            Read again from Shopify
          </IntentButton>
        </InlineStack>
        <InlineGrid columns={{ xs: 1, sm: 3 }} gap="300">
          <Fact label="Customers imported" value={sync.customersImported.toLocaleString("en-US")} />
          <Fact label="Orders imported" value={sync.ordersImported.toLocaleString("en-US")} />
          <Fact label="Products imported" value={sync.productsImported.toLocaleString("en-US")} />
        </InlineGrid>
        <Text as="p" tone="subdued" variant="bodySm">
          {sync.syncedAt ? `Last complete import ${formatDateTime(sync.syncedAt, timezone)}.` : "No complete import yet."}{" "}
          {sync.scoredAt ? `Scores computed ${formatDateTime(sync.scoredAt, timezone)}.` : ""} Orders, customers and consent stay current
          through Shopify's events in between.
        </Text>
        {sync.error ? (
          <Banner tone="critical" title="The last import failed">
            <p>{sync.error}</p>
          </Banner>
        ) : null}
        {resyncStarted ? <Banner tone="info" title="Reading your store again from Shopify" /> : null}
      </BlockStack>
    </Card>
  );
}
