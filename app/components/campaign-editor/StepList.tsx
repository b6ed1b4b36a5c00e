import { InlineStack, Button } from "@shopify/polaris";
import { hasEarlierCode, type DraftChange } from "../../domain/campaign-draft";
import type { FieldErrors } from "./fields";
import { StepCard } from "./StepCard";
import { MAX_STEPS, type EditorStep } from "./types";

/** The campaign's steps, one card each, and "Add step" up to the maximum. */
export function StepList(props: { steps: EditorStep[]; change: (change: DraftChange) => void; errors: FieldErrors; currency: string }) {
  const { steps, change } = props;
  return (
    <>
      {steps.map((step, index) => (
        <StepCard
          key={index}
          index={index}
          step={step}
          onChange={(next) => change({ type: "edit-step", index, step: next })}
          onRemove={steps.length > 1 ? () => change({ type: "remove-step", index }) : null}
          errors={props.errors}
          currency={props.currency}
          hasEarlierCode={hasEarlierCode(steps, index)}
          onPreview={() => change({ type: "preview-step", index })}
        />
      ))}
      {steps.length < MAX_STEPS ? (
        <InlineStack>
          <Button onClick={() => change({ type: "add-step" })}>Add step {String(steps.length + 1)}</Button>
        </InlineStack>
      ) : null}
    </>
  );
}
