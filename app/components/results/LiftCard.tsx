import { Badge, BlockStack, Card, InlineGrid, InlineStack, Text } from "@shopify/polaris";
import { Fact } from "../Fact";
import { formatCount, formatMoney, formatPercent, formatPoints } from "../format";
import type { CampaignResults } from "../../models/results.server";

/** The lift against the holdout with its 95% interval, or why there is not enough data yet. */
export function LiftCard({ results, currency }: { results: CampaignResults; currency: string }) {
  const lift = results.lift;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Incremental lift against the holdout
          </Text>
          {lift.enoughData ? (
            <Badge tone={lift.significant ? "success" : "attention"}>{lift.significant ? "Confident" : "Not yet certain"}</Badge>
          ) : null}
        </InlineStack>
        {lift.enoughData ? (
          <>
            <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="300">
              <Fact label="Contacted conversion rate" value={`${formatPercent(lift.contactedRate)} of ${formatCount(results.contacted)}`} />
              <Fact label="Holdout conversion rate" value={`${formatPercent(lift.holdoutRate)} of ${formatCount(results.holdout)}`} />
              <Fact
                label="Difference (95% confidence interval)"
                value={`${formatPoints(lift.difference.value * 100)} (${formatPoints(lift.difference.low * 100)} to ${formatPoints(lift.difference.high * 100)})`}
              />
              <Fact
                label="Extra orders / extra revenue after discounts"
                value={`${lift.extraOrders.toFixed(1)} / ${formatMoney(lift.extraRevenue, currency)}`}
              />
            </InlineGrid>
            <Text as="p" tone="subdued">
              {lift.significant
                ? "The interval excludes zero: the e-mails change how many customers come back."
                : "The interval includes zero: the difference may still be chance. It narrows as more customers go through."}
            </Text>
          </>
        ) : (
          <Text as="p">{`Not enough data yet: ${lift.reason}.`}</Text>
        )}
      </BlockStack>
    </Card>
  );
}
