import { BlockStack, Card, FormLayout, Select, Text, TextField } from "@shopify/polaris";
import { HOUR_OPTIONS, NumberField, type FieldErrors } from "./fields";
import { PostalAddressNote, ReplyToField, SenderNameField } from "./SenderFields";
import type { EditorSettings, EmailSettingsDraft } from "./types";

type NumberSetting = "holdoutPercent" | "frequencyCapHours" | "attributionWindowDays" | "marginFloorPercent" | "rampPerHour";

/** Sender, address and the campaign's safety settings. */
export function SettingsCard(props: {
  settings: EditorSettings;
  onChange: (settings: EditorSettings) => void;
  email: EmailSettingsDraft;
  onEmailChange: (email: EmailSettingsDraft) => void;
  errors: FieldErrors;
  shop: { name: string; contactEmail: string | null; postalAddress: string | null; missingAddress: string[] };
}) {
  const { settings, onChange, email, onEmailChange, errors, shop } = props;
  const set = (patch: Partial<EditorSettings>) => onChange({ ...settings, ...patch });
  // A number setting's value, change and error. An emptied field holds null until the save refuses it.
  const number = (key: NumberSetting) => ({
    value: settings[key],
    onChange: (value: number | null) => set({ [key]: value }),
    error: errors[key],
  });
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          Settings
        </Text>
        <FormLayout>
          <TextField
            label="Campaign name"
            value={settings.name}
            onChange={(name) => set({ name })}
            error={errors.name}
            autoComplete="off"
          />
          <FormLayout.Group>
            <SenderNameField email={email} onChange={onEmailChange} error={errors["email.senderName"]} shopName={shop.name} />
            <ReplyToField email={email} onChange={onEmailChange} error={errors["email.replyTo"]} contactEmail={shop.contactEmail} />
          </FormLayout.Group>
          <PostalAddressNote postalAddress={shop.postalAddress} missingAddress={shop.missingAddress} />
          <FormLayout.Group>
            <NumberField
              label="Holdout"
              suffix="%"
              {...number("holdoutPercent")}
              helpText="Never e-mailed; their orders show what the campaign really adds."
            />
            <NumberField label="At most one win-back e-mail per customer every" suffix="hours" {...number("frequencyCapHours")} />
          </FormLayout.Group>
          <FormLayout.Group>
            <Select
              label="Quiet hours from"
              options={HOUR_OPTIONS}
              value={String(settings.quietHours.start)}
              onChange={(start) => set({ quietHours: { ...settings.quietHours, start: Number(start) } })}
              error={errors["quietHours.start"]}
            />
            <Select
              label="Quiet hours until"
              options={HOUR_OPTIONS}
              value={String(settings.quietHours.end)}
              onChange={(end) => set({ quietHours: { ...settings.quietHours, end: Number(end) } })}
              error={errors["quietHours.end"]}
              helpText="In the shop's timezone. The same hour twice: no quiet hours."
            />
            <Select
              label="Send hour when a customer has no usual hour"
              options={HOUR_OPTIONS}
              value={String(settings.defaultSendHour)}
              onChange={(hour) => set({ defaultSendHour: Number(hour) })}
              error={errors.defaultSendHour}
            />
          </FormLayout.Group>
          <FormLayout.Group>
            <NumberField
              label="Attribution window"
              suffix="days"
              {...number("attributionWindowDays")}
              helpText="An order this long after a click counts as a conversion; an order with the code always does."
            />
            <NumberField
              label="Margin floor (optional)"
              suffix="%"
              {...number("marginFloorPercent")}
              helpText="A code is reduced or withheld when the customer's usual order would fall below this margin (uses product costs from Shopify)."
            />
            <NumberField label="First e-mails per hour when going Live" {...number("rampPerHour")} />
          </FormLayout.Group>
        </FormLayout>
      </BlockStack>
    </Card>
  );
}
