import { BlockStack, Card, ChoiceList, FormLayout, RadioButton, Spinner, Text } from "@shopify/polaris";
import type { AudienceRules } from "../../domain/audience";
import { RFM_PRESETS, SHOPIFY_RFM_GROUPS, shopifyGroupLabel, type RfmPreset } from "../../domain/rfm";
import { NumberField, type FieldErrors } from "./fields";

const PRESETS: { value: RfmPreset; label: string; help: string }[] = [
  { value: "all_lapsed", label: "All lapsed subscribed customers", help: "Everyone who matches the trigger." },
  {
    value: "at_risk",
    label: RFM_PRESETS.at_risk.label,
    help: "Bought often and spent much (frequency and value 4–5 of 5), but not recently (recency 1–2).",
  },
  {
    value: "cant_lose",
    label: RFM_PRESETS.cant_lose.label,
    help: "Your very best customers (frequency and value 5 of 5) who have gone quiet longest (recency 1).",
  },
];

/** Who the campaign is for: the trigger (when someone counts as lapsed) and the segment, with the live count. */
export function AudienceCard(props: {
  audience: AudienceRules;
  onChange: (audience: AudienceRules) => void;
  errors: FieldErrors;
  qualifyingToday: { count: number | null; loading: boolean; error: string | null };
}) {
  const { audience, onChange, errors, qualifyingToday } = props;
  const error = (field: string) => errors[`audience.${field}`];
  const lapse = audience.lapse;
  const segment = audience.segment;

  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          Trigger and audience
        </Text>
        <BlockStack gap="200">
          <RadioButton
            label="No order for a number of days"
            checked={lapse.kind === "inactivity"}
            id="lapse-inactivity"
            name="lapse"
            onChange={() =>
              onChange({ ...audience, lapse: { kind: "inactivity", days: lapse.kind === "cadence" ? lapse.fallbackDays : lapse.days } })
            }
          />
          <RadioButton
            label="Personal cadence"
            helpText="A customer lapses when their current gap is longer than a multiple of their own usual time between orders; customers with fewer than 3 orders use the number of days."
            checked={lapse.kind === "cadence"}
            id="lapse-cadence"
            name="lapse"
            onChange={() =>
              onChange({
                ...audience,
                lapse: { kind: "cadence", multiplier: 2, fallbackDays: lapse.kind === "inactivity" ? lapse.days : lapse.fallbackDays },
              })
            }
          />
        </BlockStack>
        <FormLayout>
          <FormLayout.Group>
            {lapse.kind === "inactivity" ? (
              <NumberField
                label="Days without an order"
                suffix="days"
                value={lapse.days}
                onChange={(days) => onChange({ ...audience, lapse: { ...lapse, days: days as number } })}
                error={error("lapse.days")}
                helpText="7 to 730 days."
              />
            ) : (
              <>
                <NumberField
                  label="Lapsed after this many times their usual gap"
                  suffix="×"
                  step={0.5}
                  value={lapse.multiplier}
                  onChange={(multiplier) => onChange({ ...audience, lapse: { ...lapse, multiplier: multiplier as number } })}
                  error={error("lapse.multiplier")}
                />
                <NumberField
                  label="Days without an order, for customers without a usual gap"
                  suffix="days"
                  value={lapse.fallbackDays}
                  onChange={(fallbackDays) => onChange({ ...audience, lapse: { ...lapse, fallbackDays: fallbackDays as number } })}
                  error={error("lapse.fallbackDays")}
                />
              </>
            )}
          </FormLayout.Group>
        </FormLayout>

        <ChoiceList
          title="Who"
          choices={[
            ...PRESETS.map((preset) => ({ label: preset.label, value: preset.value, helpText: preset.help })),
            {
              label: "Shopify's RFM groups",
              value: "shopify_rfm_groups",
              helpText: "Shopify's own customer groups, as shown in Shopify's customer segments.",
            },
          ]}
          selected={[segment.kind === "preset" ? segment.preset : "shopify_rfm_groups"]}
          onChange={([choice]) =>
            onChange({
              ...audience,
              segment:
                choice === "shopify_rfm_groups"
                  ? { kind: "shopify_rfm_groups", groups: ["AT_RISK", "ALMOST_LOST"] }
                  : { kind: "preset", preset: choice as (typeof PRESETS)[number]["value"] },
            })
          }
        />
        {segment.kind === "shopify_rfm_groups" ? (
          <ChoiceList
            title="Shopify RFM groups"
            allowMultiple
            choices={SHOPIFY_RFM_GROUPS.map((group) => ({ label: shopifyGroupLabel(group), value: group }))}
            selected={segment.groups}
            onChange={(groups) =>
              onChange({ ...audience, segment: { kind: "shopify_rfm_groups", groups: groups as typeof segment.groups } })
            }
            error={error("segment.groups")}
          />
        ) : null}

        <FormLayout>
          <FormLayout.Group>
            <NumberField
              label="Skip customers who started a checkout in the last"
              suffix="hours"
              value={audience.checkoutQuietHours}
              onChange={(hours) => onChange({ ...audience, checkoutQuietHours: hours as number })}
              error={error("checkoutQuietHours")}
              helpText="Abandoned-checkout recovery goes first."
            />
            <NumberField
              label="Re-entry cool-down"
              suffix="days"
              value={audience.cooldownDays}
              onChange={(days) => onChange({ ...audience, cooldownDays: days as number })}
              error={error("cooldownDays")}
              helpText="A customer who was in this campaign may enter again only after this long."
            />
          </FormLayout.Group>
        </FormLayout>

        <div role="status" aria-live="polite">
          {qualifyingToday.loading ? (
            <Spinner size="small" accessibilityLabel="Counting who qualifies" />
          ) : qualifyingToday.error ? (
            <Text as="p" tone="critical">
              {qualifyingToday.error}
            </Text>
          ) : qualifyingToday.count !== null ? (
            <Text as="p" variant="headingSm">
              {qualifyingToday.count.toLocaleString("en-US")} subscribed customers qualify today
            </Text>
          ) : null}
        </div>
      </BlockStack>
    </Card>
  );
}
