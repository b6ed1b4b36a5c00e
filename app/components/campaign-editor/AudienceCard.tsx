import { BlockStack, Card, FormLayout, Text } from "@shopify/polaris";
import type { AudienceRules } from "../../domain/audience";
import { LapseChoice, LapseFields } from "./AudienceLapse";
import { SegmentChoice } from "./AudienceSegment";
import { NumberField, type FieldErrors } from "./fields";
import { QualifyingToday, type QualifyingTodayCount } from "./QualifyingToday";

/** Who the campaign is for: the trigger (when someone counts as lapsed) and the segment, with the live count. */
export function AudienceCard(props: {
  audience: AudienceRules;
  onChange: (audience: AudienceRules) => void;
  errors: FieldErrors;
  qualifyingToday: QualifyingTodayCount;
}) {
  const { audience, onChange, errors } = props;
  const error = (field: string) => errors[`audience.${field}`];
  const setLapse = (lapse: AudienceRules["lapse"]) => onChange({ ...audience, lapse });

  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          Trigger and audience
        </Text>
        <LapseChoice lapse={audience.lapse} onChange={setLapse} />
        <LapseFields lapse={audience.lapse} onChange={setLapse} error={(field) => error(`lapse.${field}`)} />
        <SegmentChoice
          segment={audience.segment}
          onChange={(segment) => onChange({ ...audience, segment })}
          groupsError={error("segment.groups")}
        />
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
        <QualifyingToday {...props.qualifyingToday} />
      </BlockStack>
    </Card>
  );
}
