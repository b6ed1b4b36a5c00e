import { Banner, BlockStack, Card, FormLayout, Select, Text, TextField } from "@shopify/polaris";
import { HOUR_OPTIONS, NumberField, type FieldErrors } from "./fields";
import type { EditorSettings, EmailSettingsDraft } from "./types";

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
            <TextField
              label="Sender name"
              value={email.senderName}
              placeholder={shop.name}
              onChange={(senderName) => onEmailChange({ ...email, senderName })}
              error={errors["email.senderName"]}
              autoComplete="off"
              helpText="For all of the shop's win-back e-mails. Empty: the shop's name."
            />
            <TextField
              label="Reply-to address"
              type="email"
              value={email.replyTo}
              placeholder={shop.contactEmail ?? ""}
              onChange={(replyTo) => onEmailChange({ ...email, replyTo })}
              error={errors["email.replyTo"]}
              autoComplete="email"
              helpText="Empty: the store's contact e-mail."
            />
          </FormLayout.Group>
          {shop.missingAddress.length > 0 ? (
            <Banner tone="warning" title="Postal address needed before going Live">
              <p>
                Marketing e-mails must show your postal address. Add it in Shopify under Settings → Store details (missing:{" "}
                {shop.missingAddress.join(", ")}).
              </p>
            </Banner>
          ) : (
            <Text as="p" tone="subdued">
              Postal address in the footer: {shop.postalAddress} (from Shopify's store details).
            </Text>
          )}
          <FormLayout.Group>
            <NumberField
              label="Holdout"
              suffix="%"
              value={settings.holdoutPercent}
              onChange={(holdoutPercent) => set({ holdoutPercent: holdoutPercent as number })}
              error={errors.holdoutPercent}
              helpText="Never e-mailed; their orders show what the campaign really adds."
            />
            <NumberField
              label="At most one win-back e-mail per customer every"
              suffix="hours"
              value={settings.frequencyCapHours}
              onChange={(frequencyCapHours) => set({ frequencyCapHours: frequencyCapHours as number })}
              error={errors.frequencyCapHours}
            />
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
              value={settings.attributionWindowDays}
              onChange={(attributionWindowDays) => set({ attributionWindowDays: attributionWindowDays as number })}
              error={errors.attributionWindowDays}
              helpText="An order this long after a click counts as a conversion; an order with the code always does."
            />
            <NumberField
              label="Margin floor (optional)"
              suffix="%"
              value={settings.marginFloorPercent}
              onChange={(marginFloorPercent) => set({ marginFloorPercent })}
              error={errors.marginFloorPercent}
              helpText="A code is reduced or withheld when the customer's usual order would fall below this margin (uses product costs from Shopify)."
            />
            <NumberField
              label="First e-mails per hour when going Live"
              value={settings.rampPerHour}
              onChange={(rampPerHour) => set({ rampPerHour: rampPerHour as number })}
              error={errors.rampPerHour}
            />
          </FormLayout.Group>
        </FormLayout>
      </BlockStack>
    </Card>
  );
}
