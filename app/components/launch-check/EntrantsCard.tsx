import { InlineGrid, Text } from "@shopify/polaris";
import { Fact } from "../Fact";
import { SectionCard } from "../SectionCard";
import { formatCount } from "../format";
import type { LaunchCheck } from "../../models/launch-check.server";

/** Who enters on Go Live: how many qualify, are e-mailed and are held out. */
export function EntrantsCard({ check }: { check: LaunchCheck }) {
  return (
    <SectionCard title="Who enters when you go Live">
      <InlineGrid columns={{ xs: 1, sm: 3 }} gap="300">
        <Fact label="Qualify today" value={formatCount(check.entrants)} />
        <Fact label="Will be e-mailed" value={formatCount(check.contacted)} />
        <Fact label={`Holdout (${check.holdoutPercent}%, never e-mailed)`} value={formatCount(check.holdout)} />
      </InlineGrid>
      <Text as="p" tone="subdued">
        Customers keep entering as they lapse; the enrollment runs every hour while the campaign is Live.
      </Text>
    </SectionCard>
  );
}
