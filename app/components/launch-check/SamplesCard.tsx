import { Text } from "@shopify/polaris";
import { SectionCard } from "../SectionCard";
import { Table } from "../Table";
import type { LaunchCheck } from "../../models/launch-check.server";

/** Some of those to be e-mailed, with why each qualifies. */
export function SamplesCard({ samples }: { samples: LaunchCheck["samples"] }) {
  return (
    <SectionCard title={`${samples.length} of those to be e-mailed, and why they qualify`}>
      {samples.length === 0 ? (
        <Text as="p" tone="subdued">
          Nobody qualifies today.
        </Text>
      ) : (
        <Table
          label="Sample recipients"
          headings={["Customer", "E-mail", "Why they qualify"]}
          rows={samples.map((sample) => [sample.name, sample.email, sample.reason])}
        />
      )}
    </SectionCard>
  );
}
