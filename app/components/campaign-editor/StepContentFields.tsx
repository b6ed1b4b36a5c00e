import { Checkbox, Select, TextField } from "@shopify/polaris";
import type { EditorStep, StepContent } from "./types";

/** The e-mail's fields of a step card (StepCard.tsx). */

export type ContentField = "subject" | "preheader" | "heading" | "body" | "buttonText";

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

/** One of the e-mail's text fields; the variable picker inserts into the one focused last. */
export function ContentTextField(props: {
  field: ContentField;
  label: string;
  content: StepContent;
  onChange: (patch: Partial<StepContent>) => void;
  onFocus: (field: ContentField) => void;
  error?: string;
  multiline?: number;
}) {
  const { field } = props;
  return (
    <TextField
      label={props.label}
      value={props.content[field]}
      onChange={(value) => props.onChange({ [field]: value })}
      onFocus={() => props.onFocus(field)}
      error={props.error}
      multiline={props.multiline}
      autoComplete="off"
      monospaced={field === "body"}
    />
  );
}

export function VariablePicker({ onPick }: { onPick: (variable: string) => void }) {
  return (
    <Select
      label="Insert a variable where the cursor was last"
      options={[{ label: "Choose a variable…", value: "" }, ...VARIABLES]}
      value=""
      onChange={(variable) => {
        if (variable) onPick(variable);
      }}
    />
  );
}

/** The offer block can be shown only with an offer (a step left with none may still have it on, to be turned off). */
export function ShowOfferCheckbox(props: { step: EditorStep; onChange: (patch: Partial<StepContent>) => void; error?: string }) {
  const { step } = props;
  return (
    <Checkbox
      label="Show the offer block (code, value and end date)"
      checked={step.content.showOffer}
      onChange={(showOffer) => props.onChange({ showOffer })}
      error={props.error}
      disabled={step.offer.use === "none" && !step.content.showOffer}
    />
  );
}
