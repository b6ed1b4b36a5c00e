import { InlineGrid, Text } from "@shopify/polaris";
import { Fact } from "../Fact";
import { SectionCard } from "../SectionCard";
import { formatDateTime } from "../format";
import type { ShopOverview } from "../../models/shop.server";

/** The store's details as read from Shopify. */
export function StoreCard({ overview, timezone }: { overview: ShopOverview; timezone: string }) {
  return (
    <SectionCard title="Store">
      <InlineGrid columns={{ xs: 1, sm: 2 }} gap="300">
        <Fact label="Name" value={overview.name ?? "—"} />
        <Fact label="Shopify domain" value={overview.domain} />
        <Fact label="Currency" value={overview.currencyCode ?? "—"} />
        <Fact label="Timezone" value={overview.ianaTimezone ?? "—"} />
        <Fact label="Postal address" value={overview.postalAddress ?? "Not set"} />
        <Fact label="Installed" value={formatDateTime(overview.installedAt, timezone)} />
      </InlineGrid>
      <Text as="p" tone="subdued" variant="bodySm">
        {overview.detailsSyncedAt
          ? `Details last read from Shopify ${formatDateTime(overview.detailsSyncedAt, timezone)}.`
          : "Details not read from Shopify yet."}
      </Text>
    </SectionCard>
  );
}
