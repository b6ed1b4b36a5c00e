import { Text } from "@shopify/polaris";
import { HorizontalBars } from "../charts";
import { SectionCard } from "../SectionCard";
import { formatCount, formatShare } from "../format";
import { funnelStages, type FunnelFacts } from "../../domain/results-funnel";

/** From entered to converted, as bars. */
export function FunnelCard({ results }: { results: FunnelFacts }) {
  const bars = funnelStages(results).map((stage) => ({
    label: stage.label,
    value: stage.value,
    display: formatCount(stage.value) + (stage.shareOf === null ? "" : formatShare(stage.value, stage.shareOf)),
  }));
  return (
    <SectionCard title="Funnel">
      <HorizontalBars title="Funnel from entered to converted" bars={bars} />
      <Text as="p" tone="subdued">
        Opens are approximate: some mail apps load images without a reader.
      </Text>
    </SectionCard>
  );
}
