import { useRef } from "react";
import { BlockStack, Button, Card, Checkbox, FormLayout, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { daysToHours, hoursToDays, NumberField, type FieldErrors } from "./fields";
import { DEFAULT_NEW_OFFER, OfferFields } from "./OfferFields";
import type { EditorStep, StepContent } from "./types";

/** The variables of PRODUCT.md §6, as the picker inserts them. */
const VARIABLES = [
  { label: "Customer's first name", value: "{{ customer.first_name }}" },
  { label: "Customer's last name", value: "{{ customer.last_name }}" },
  { label: "Shop name", value: "{{ shop.name }}" },
  { label: "Shop URL", value: "{{ shop.url }}" },
  { label: "Discount code", value: "{{ discount.code }}" },
  { label: "Discount value (e.g. 15%)", value: "{{ discount.value }}" },
  { label: "Discount end date", value: "{{ discount.ends_at }}" },
  { label: "Days since last order", value: "{{ days_since_last_order }}" },
  { label: "Unsubscribe link", value: "{{ unsubscribe_url }}" },
  { label: "Products of the last order (list)", value: "{% for p in last_order.products %}{{ p.title }} {% endfor %}" },
];

type ContentField = "subject" | "preheader" | "heading" | "body" | "buttonText";

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
  const { index, step, onChange, onRemove, errors, currency, hasEarlierCode } = props;
  const path = `steps.${index}`;
  const error = (field: string) => errors[`${path}.${field}`];
  const lastFocused = useRef<ContentField>("body");
  const setContent = (patch: Partial<StepContent>) => onChange({ ...step, content: { ...step.content, ...patch } });
  const contentField = (field: ContentField, label: string, multiline?: number) => (
    <TextField
      label={label}
      value={step.content[field]}
      onChange={(value) => setContent({ [field]: value })}
      onFocus={() => (lastFocused.current = field)}
      error={error(`content.${field}`)}
      multiline={multiline}
      autoComplete="off"
      monospaced={field === "body"}
    />
  );
  const immediately = index === 0 && step.delayHours === 0;

  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h3" variant="headingMd">
            Step {index + 1}
          </Text>
          <InlineStack gap="200">
            <Button onClick={props.onPreview}>Preview this step</Button>
            {onRemove ? (
              <Button tone="critical" variant="plain" onClick={onRemove}>
                Remove step {String(index + 1)}
              </Button>
            ) : null}
          </InlineStack>
        </InlineStack>

        <FormLayout>
          {index === 0 ? (
            <Checkbox
              label="Send as soon as the customer qualifies"
              checked={immediately}
              onChange={(checked) => onChange({ ...step, delayHours: checked ? 0 : 24 })}
            />
          ) : null}
          {immediately ? null : (
            <NumberField
              label={`Send ${index === 0 ? "after the customer qualifies" : "after the customer entered"}, in days`}
              suffix="days"
              step={0.5}
              value={hoursToDays(step.delayHours)}
              onChange={(days) => onChange({ ...step, delayHours: daysToHours(days) as number })}
              error={error("delayHours")}
            />
          )}

          <Select
            label="Offer in this e-mail"
            options={[
              { label: "No offer", value: "none" },
              { label: "The code from an earlier step again", value: "previous", disabled: !hasEarlierCode },
              { label: "A new personal code", value: "new" },
            ]}
            value={step.offer.use}
            onChange={(use) =>
              onChange({
                ...step,
                offer: use === "new" ? { use: "new", offer: DEFAULT_NEW_OFFER } : { use: use as "none" | "previous" },
                content: { ...step.content, showOffer: use !== "none" },
              })
            }
            error={error("offer.use")}
          />
          {step.offer.use === "new" ? (
            <OfferFields
              offer={step.offer.offer}
              onChange={(offer) => onChange({ ...step, offer: { use: "new", offer } })}
              errors={errors}
              path={`${path}.offer.offer`}
              currency={currency}
            />
          ) : null}

          {contentField("subject", "Subject")}
          {contentField("preheader", "Preheader (the preview line in the inbox)")}
          {contentField("heading", "Heading")}
          {contentField("body", "Body (HTML allowed: paragraphs, bold, lists, links)", 6)}
          <Select
            label="Insert a variable where the cursor was last"
            options={[{ label: "Choose a variable…", value: "" }, ...VARIABLES]}
            value=""
            onChange={(variable) => {
              if (!variable) return;
              const field = lastFocused.current;
              const current = step.content[field];
              setContent({
                [field]:
                  field === "body" && current.endsWith("</p>")
                    ? `${current.slice(0, -4)} ${variable}</p>`
                    : `${current} ${variable}`.trim(),
              });
            }}
          />
          {contentField("buttonText", "Button text")}
          <Checkbox
            label="Show the offer block (code, value and end date)"
            checked={step.content.showOffer}
            onChange={(showOffer) => setContent({ showOffer })}
            error={error("content.showOffer")}
            disabled={step.offer.use === "none" && !step.content.showOffer}
          />
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
