import { BlockStack, FormLayout, RadioButton } from "@shopify/polaris";
import type { AudienceRules } from "../../domain/audience";
import { withLapseKind } from "../../domain/campaign-edits";
import { NumberField } from "./fields";

type Lapse = AudienceRules["lapse"];

/** When a customer counts as lapsed: after a number of days, or by their personal cadence. */
export function LapseChoice({ lapse, onChange }: { lapse: Lapse; onChange: (lapse: Lapse) => void }) {
  return (
    <BlockStack gap="200">
      <RadioButton
        label="No order for a number of days"
        checked={lapse.kind === "inactivity"}
        id="lapse-inactivity"
        name="lapse"
        onChange={() => onChange(withLapseKind(lapse, "inactivity"))}
      />
      <RadioButton
        label="Personal cadence"
        helpText="A customer lapses when their current gap is longer than a multiple of their own usual time between orders; customers with fewer than 3 orders use the number of days."
        checked={lapse.kind === "cadence"}
        id="lapse-cadence"
        name="lapse"
        onChange={() => onChange(withLapseKind(lapse, "cadence"))}
      />
    </BlockStack>
  );
}

/** The chosen lapse rule's numbers. */
export function LapseFields(props: { lapse: Lapse; onChange: (lapse: Lapse) => void; error: (field: string) => string | undefined }) {
  const { lapse, onChange, error } = props;
  return (
    <FormLayout>
      <FormLayout.Group>
        {lapse.kind === "inactivity" ? (
          <NumberField
            label="Days without an order"
            suffix="days"
            value={lapse.days}
            onChange={(days) => onChange({ ...lapse, days: days as number })}
            error={error("days")}
            helpText="7 to 730 days."
          />
        ) : (
          <>
            <NumberField
              label="Lapsed after this many times their usual gap"
              suffix="×"
              step={0.5}
              value={lapse.multiplier}
              onChange={(multiplier) => onChange({ ...lapse, multiplier: multiplier as number })}
              error={error("multiplier")}
            />
            <NumberField
              label="Days without an order, for customers without a usual gap"
              suffix="days"
              value={lapse.fallbackDays}
              onChange={(fallbackDays) => onChange({ ...lapse, fallbackDays: fallbackDays as number })}
              error={error("fallbackDays")}
            />
          </>
        )}
      </FormLayout.Group>
    </FormLayout>
  );
}
