import { DataTable, InlineGrid, Text } from "@shopify/polaris";
import { Fact } from "../Fact";
import { SectionCard } from "../SectionCard";
import { formatCount, formatDateTime } from "../format";
import { shopifyGroupLabel } from "../../domain/rfm";
import type { AudienceBreakdown } from "../../models/audience-summary.server";

/** Today's lapsed customers by our RFM segment and by Shopify's RFM group (counted with the scores). */
export function AudienceSummaryCard({ audience, timezone }: { audience: AudienceBreakdown | null; timezone: string }) {
  return (
    <SectionCard title="Today's audience">
      {audience === null ? (
        <Text as="p" tone="subdued">
          Counted once your customers and orders are read from Shopify.
        </Text>
      ) : (
        <>
          <InlineGrid columns={{ xs: 1, sm: 3 }} gap="300">
            <Fact
              label={`Lapsed (no order for ${audience.lapsedDays}+ days)`}
              value={`${formatCount(audience.lapsed)} of ${formatCount(audience.buyers)} buyers`}
            />
            <Fact label="Of them subscribed to e-mail" value={formatCount(audience.subscribed)} />
            <Fact label="Counted" value={formatDateTime(audience.takenAt, timezone)} />
          </InlineGrid>
          <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
            <DataTable
              columnContentTypes={["text", "numeric", "numeric"]}
              headings={["Our RFM segment", "Lapsed", "Subscribed"]}
              rows={audience.bySegment.map((row) => [row.label, formatCount(row.customers), formatCount(row.subscribed)])}
            />
            <DataTable
              columnContentTypes={["text", "numeric", "numeric"]}
              headings={["Shopify RFM group", "Lapsed", "Subscribed"]}
              rows={audience.byShopifyGroup.map((row) => [
                shopifyGroupLabel(row.group),
                formatCount(row.customers),
                formatCount(row.subscribed),
              ])}
            />
          </InlineGrid>
        </>
      )}
    </SectionCard>
  );
}
