import { Button, InlineStack, Select, Text } from "@shopify/polaris";
import { withOfferUse } from "../../domain/campaign-edits";
import { daysToHours, hoursToDays, NumberField } from "./fields";
import type { EditorStep } from "./types";

/** The pieces of a step card (StepCard.tsx) about when it is sent and its offer; its e-mail's fields are in StepContentFields.tsx. */

export function StepHeader({ index, onPreview, onRemove }: { index: number; onPreview: () => void; onRemove: (() => void) | null }) {
  return (
    <InlineStack align="space-between" blockAlign="center">
      <Text as="h3" variant="headingMd">
        Step {index + 1}
      </Text>
      <InlineStack gap="200">
        <Button onClick={onPreview}>Preview this step</Button>
        {onRemove ? (
          <Button tone="critical" variant="plain" onClick={onRemove}>
            Remove step {String(index + 1)}
          </Button>
        ) : null}
      </InlineStack>
    </InlineStack>
  );
}

/** No offer, the code of an earlier step again (when there is one), or a new personal code. */
export function OfferSelect(props: { step: EditorStep; onChange: (step: EditorStep) => void; hasEarlierCode: boolean; error?: string }) {
  return (
    <Select
      label="Offer in this e-mail"
      options={[
        { label: "No offer", value: "none" },
        { label: "The code from an earlier step again", value: "previous", disabled: !props.hasEarlierCode },
        { label: "A new personal code", value: "new" },
      ]}
      value={props.step.offer.use}
      onChange={(use) => props.onChange(withOfferUse(props.step, use as EditorStep["offer"]["use"]))}
      error={props.error}
    />
  );
}

/** When the step is sent, in days (stored in whole hours). */
export function DelayDaysField(props: { index: number; step: EditorStep; onChange: (step: EditorStep) => void; error?: string }) {
  const { index, step } = props;
  return (
    <NumberField
      label={`Send ${index === 0 ? "after the customer qualifies" : "after the customer entered"}, in days`}
      suffix="days"
      step={0.5}
      value={hoursToDays(step.delayHours)}
      onChange={(days) => props.onChange({ ...step, delayHours: daysToHours(days) as number })}
      error={props.error}
    />
  );
}
