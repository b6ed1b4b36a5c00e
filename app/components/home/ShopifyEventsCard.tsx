import { Badge, BlockStack, InlineStack, Text } from "@shopify/polaris";
import { Fact } from "../Fact";
import { SectionCard } from "../SectionCard";
import type { ShopOverview } from "../../models/shop.server";

/** Whether Shopify's events flow: received, being applied, and those that failed after every retry. */
export function ShopifyEventsCard({ webhooks }: { webhooks: ShopOverview["webhooks"] }) {
  return (
    <SectionCard title="Shopify events">
      <Fact label="Received in the last 24 hours" value={String(webhooks.receivedLastDay)} />
      <Fact label="Being applied (queued or retrying)" value={String(webhooks.pending)} />
      {webhooks.failed.length === 0 ? (
        <InlineStack gap="200">
          <Badge tone="success">None failed</Badge>
        </InlineStack>
      ) : (
        <BlockStack gap="100">
          <Text as="p" tone="critical">
            Failed after every retry (kept for inspection; applied again if Shopify resends them):
          </Text>
          {webhooks.failed.map((failure) => (
            <InlineStack key={failure.topic} gap="200">
              <Badge tone="critical">{String(failure.count)}</Badge>
              <Text as="span">{failure.topic}</Text>
            </InlineStack>
          ))}
        </BlockStack>
      )}
    </SectionCard>
  );
}
