import { SectionCard } from "../SectionCard";
import { Table } from "../Table";
import { formatCount, formatMoney, formatShare } from "../format";
import type { StepResult } from "../../models/results.server";

/** Each step's e-mails: sent, opened and clicked (shares of sent), unsubscribes, conversions, revenue. */
export function StepsCard({ steps, currency }: { steps: StepResult[]; currency: string }) {
  return (
    <SectionCard title="Per step">
      <Table
        label="Performance per step"
        headings={["Step", "Sent", "Opened", "Clicked", "Unsubscribed", "Conversions", "Revenue"]}
        numeric={[1, 2, 3, 4, 5, 6]}
        rows={steps.map((step) => [
          `Step ${step.step}`,
          formatCount(step.sent),
          `${formatCount(step.opened)}${formatShare(step.opened, step.sent)}`,
          `${formatCount(step.clicked)}${formatShare(step.clicked, step.sent)}`,
          formatCount(step.unsubscribed),
          formatCount(step.conversions),
          formatMoney(step.revenue, currency),
        ])}
      />
    </SectionCard>
  );
}
