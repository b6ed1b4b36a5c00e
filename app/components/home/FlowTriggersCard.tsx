import { Badge, InlineStack, Text } from "@shopify/polaris";
import { SectionCard } from "../SectionCard";
import { IntentButton } from "./IntentButton";

/** Shopify Flow triggers on or off for the shop. */
export function FlowTriggersCard({ on }: { on: boolean }) {
  return (
    <SectionCard title="Shopify Flow">
      <Text as="p">
        Start your own Flow workflows when a customer enters a campaign, converts, or leaves it (with the reason): for example, tag them or
        notify your team.
      </Text>
      <InlineStack gap="200" blockAlign="center">
        <Badge tone={on ? "success" : undefined}>{on ? "Triggers on" : "Triggers off"}</Badge>
        <IntentButton intent={on ? "flow_off" : "flow_on"}>{on ? "Turn off" : "Turn on"}</IntentButton>
      </InlineStack>
    </SectionCard>
  );
}
