import { useRef } from "react";
import { BlockStack, Card, Checkbox, FormLayout } from "@shopify/polaris";
import { withVariable } from "../../domain/campaign-edits";
import { NumberField, type FieldErrors } from "./fields";
import { OfferFields } from "./OfferFields";
import { ContentTextField, ShowOfferCheckbox, VariablePicker, type ContentField } from "./StepContentFields";
import { DelayDaysField, OfferSelect, StepHeader } from "./StepFields";
import type { EditorStep, StepContent } from "./types";

/** One step: when it is sent, its offer, the e-mail's text and what it shows. */
export function StepCard(props: {
  index: number;
  step: EditorStep;
  onChange: (step: EditorStep) => void;
  onRemove: (() => void) | null;
  errors: FieldErrors;
  currency: string;
  hasEarlierCode: boolean;
  onPreview: () => void;
}) {
  const { index, step, onChange, errors } = props;
  const path = `steps.${index}`;
  const error = (field: string) => errors[`${path}.${field}`];
  const lastFocused = useRef<ContentField>("body");
  const setContent = (patch: Partial<StepContent>) => onChange({ ...step, content: { ...step.content, ...patch } });
  const text = (field: ContentField, label: string, multiline?: number) => (
    <ContentTextField
      field={field}
      label={label}
      content={step.content}
      onChange={setContent}
      onFocus={(focused) => (lastFocused.current = focused)}
      error={error(`content.${field}`)}
      multiline={multiline}
    />
  );
  const immediately = index === 0 && step.delayHours === 0;

  return (
    <Card>
      <BlockStack gap="400">
        <StepHeader index={index} onPreview={props.onPreview} onRemove={props.onRemove} />
        <FormLayout>
          {index === 0 ? (
            <Checkbox
              label="Send as soon as the customer qualifies"
              checked={immediately}
              onChange={(checked) => onChange({ ...step, delayHours: checked ? 0 : 24 })}
            />
          ) : null}
          {immediately ? null : <DelayDaysField index={index} step={step} onChange={onChange} error={error("delayHours")} />}
          <OfferSelect step={step} onChange={onChange} hasEarlierCode={props.hasEarlierCode} error={error("offer.use")} />
          {step.offer.use === "new" ? (
            <OfferFields
              offer={step.offer.offer}
              onChange={(offer) => onChange({ ...step, offer: { use: "new", offer } })}
              errors={errors}
              path={`${path}.offer.offer`}
              currency={props.currency}
            />
          ) : null}
          {text("subject", "Subject")}
          {text("preheader", "Preheader (the preview line in the inbox)")}
          {text("heading", "Heading")}
          {text("body", "Body (HTML allowed: paragraphs, bold, lists, links)", 6)}
          <VariablePicker
            onPick={(variable) => {
              const field = lastFocused.current;
              setContent({ [field]: withVariable(field, step.content[field], variable) });
            }}
          />
          {text("buttonText", "Button text")}
          <ShowOfferCheckbox step={step} onChange={setContent} error={error("content.showOffer")} />
          <FormLayout.Group>
            <Checkbox
              label="Show products picked for the customer"
              checked={step.content.showProducts}
              onChange={(showProducts) => setContent({ showProducts })}
            />
            {step.content.showProducts ? (
              <NumberField
                label="How many products"
                value={step.content.productCount}
                onChange={(productCount) => setContent({ productCount: productCount as number })}
                error={error("content.productCount")}
                min={1}
                max={10}
              />
            ) : null}
          </FormLayout.Group>
        </FormLayout>
      </BlockStack>
    </Card>
  );
}
