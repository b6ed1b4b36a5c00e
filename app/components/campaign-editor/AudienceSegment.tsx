import { ChoiceList } from "@shopify/polaris";
import type { AudienceRules } from "../../domain/audience";
import { segmentForChoice, SHOPIFY_GROUPS_CHOICE } from "../../domain/campaign-edits";
import { RFM_PRESETS, SHOPIFY_RFM_GROUPS, shopifyGroupLabel, type RfmPreset } from "../../domain/rfm";

type Segment = AudienceRules["segment"];

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

/** Who among the lapsed: a preset of our RFM scores, or Shopify's RFM groups (then which). */
export function SegmentChoice(props: { segment: Segment; onChange: (segment: Segment) => void; groupsError?: string }) {
  const { segment, onChange } = props;
  return (
    <>
      <ChoiceList
        title="Who"
        choices={[
          ...PRESETS.map((preset) => ({ label: preset.label, value: preset.value, helpText: preset.help })),
          {
            label: "Shopify's RFM groups",
            value: SHOPIFY_GROUPS_CHOICE,
            helpText: "Shopify's own customer groups, as shown in Shopify's customer segments.",
          },
        ]}
        selected={[segment.kind === "preset" ? segment.preset : SHOPIFY_GROUPS_CHOICE]}
        onChange={([choice]) => onChange(segmentForChoice(choice!))}
      />
      {segment.kind === "shopify_rfm_groups" ? (
        <ChoiceList
          title="Shopify RFM groups"
          allowMultiple
          choices={SHOPIFY_RFM_GROUPS.map((group) => ({ label: shopifyGroupLabel(group), value: group }))}
          selected={segment.groups}
          onChange={(groups) => onChange({ kind: "shopify_rfm_groups", groups: groups as typeof segment.groups })}
          error={props.groupsError}
        />
      ) : null}
    </>
  );
}
