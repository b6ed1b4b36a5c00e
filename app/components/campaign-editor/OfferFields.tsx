import { BlockStack, Button, Checkbox, FormLayout, InlineStack, Select, Text } from "@shopify/polaris";
import { isSuggested, offerValue, withOfferKind } from "../../domain/campaign-edits";
import { NumberField, type FieldErrors } from "./fields";
import type { Offer } from "./types";

const SUGGESTED: { label: string; offer: Pick<Offer, "kind"> & { value?: number } }[] = [
  { label: "10% off", offer: { kind: "percentage", value: 10 } },
  { label: "15% off", offer: { kind: "percentage", value: 15 } },
  { label: "20% off", offer: { kind: "percentage", value: 20 } },
  { label: "Free shipping", offer: { kind: "free_shipping" } },
  { label: "10 off (fixed)", offer: { kind: "fixed_amount", value: 10 } },
];

/** One discount: suggested values or a custom one, and the code's conditions. */
export function OfferFields({
  offer,
  onChange,
  errors,
  path,
  currency,
}: {
  offer: Offer;
  onChange: (offer: Offer) => void;
  errors: FieldErrors;
  path: string;
  currency: string;
}) {
  const error = (field: string) => errors[`${path}.${field}`];
  const value = offerValue(offer);
  const setKind = (kind: Offer["kind"], nextValue?: number) => onChange(withOfferKind(offer, kind, nextValue));
  return (
    <BlockStack gap="300">
      <BlockStack gap="100">
        <Text as="span" variant="bodySm" tone="subdued">
          Suggested offers
        </Text>
        <InlineStack gap="200">
          {SUGGESTED.map((suggestion) => (
            <Button
              key={suggestion.label}
              size="slim"
              pressed={isSuggested(offer, suggestion.offer)}
              onClick={() => setKind(suggestion.offer.kind, suggestion.offer.value)}
            >
              {suggestion.offer.kind === "fixed_amount" ? `${currency} 10 off` : suggestion.label}
            </Button>
          ))}
        </InlineStack>
      </BlockStack>
      <FormLayout>
        <FormLayout.Group>
          <Select
            label="Discount type"
            options={[
              { label: "Percentage off the order", value: "percentage" },
              { label: "Fixed amount off the order", value: "fixed_amount" },
              { label: "Free shipping", value: "free_shipping" },
            ]}
            value={offer.kind}
            onChange={(kind) => setKind(kind as Offer["kind"])}
          />
          {offer.kind === "free_shipping" ? null : (
            <NumberField
              label={offer.kind === "percentage" ? "Percentage" : `Amount (${currency})`}
              suffix={offer.kind === "percentage" ? "%" : undefined}
              value={value}
              onChange={(next) => onChange({ ...offer, value: next } as Offer)}
              error={error("value")}
            />
          )}
        </FormLayout.Group>
        <FormLayout.Group>
          <NumberField
            label="Code expires after"
            suffix="days"
            value={offer.expiresInDays}
            onChange={(expiresInDays) => onChange({ ...offer, expiresInDays } as Offer)}
            error={error("expiresInDays")}
            helpText="Counted from the day the e-mail is sent."
          />
          <NumberField
            label={`Minimum order subtotal (${currency}, optional)`}
            value={offer.minimumSubtotal}
            onChange={(minimumSubtotal) => onChange({ ...offer, minimumSubtotal })}
            error={error("minimumSubtotal")}
          />
        </FormLayout.Group>
        <Checkbox
          label="May be combined with other order discounts"
          checked={offer.combinesWith.orderDiscounts}
          onChange={(orderDiscounts) => onChange({ ...offer, combinesWith: { ...offer.combinesWith, orderDiscounts } })}
        />
      </FormLayout>
    </BlockStack>
  );
}
