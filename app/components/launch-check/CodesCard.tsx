import { Text } from "@shopify/polaris";
import { Fact } from "../Fact";
import { SectionCard } from "../SectionCard";
import { formatCount, formatMoney } from "../format";
import type { LaunchCheck } from "../../models/launch-check.server";

/** How many personal codes could be created, and their worst-case cost. */
export function CodesCard({ check }: { check: LaunchCheck }) {
  return (
    <SectionCard title="Codes and their cost">
      <Fact
        label="Personal codes at most"
        value={`${formatCount(check.codes)} (${check.stepsWithNewCode} step${check.stepsWithNewCode === 1 ? "" : "s"} with a new code)`}
      />
      <Fact label="Worst-case discount cost" value={formatMoney(check.worstCaseDiscount, check.currencyCode)} />
      <Text as="p" tone="subdued">
        If every e-mailed customer used their biggest code on an order of their usual size. Each customer can use one code once; free
        shipping is not counted; a margin floor can only lower this.
      </Text>
    </SectionCard>
  );
}
