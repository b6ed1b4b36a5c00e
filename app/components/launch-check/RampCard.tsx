import { DataTable, Text } from "@shopify/polaris";
import { SectionCard } from "../SectionCard";
import { formatCount } from "../format";
import type { LaunchCheck } from "../../models/launch-check.server";

/** How the first e-mails are spread over the ramp's hours. */
export function RampCard({ ramp, contacted }: { ramp: LaunchCheck["ramp"]; contacted: number }) {
  const starting = ramp.startsAfterHours === 0 ? "right away" : `${ramp.startsAfterHours} hours after going Live`;
  return (
    <SectionCard title="First e-mails per hour">
      <Text as="p">
        {contacted === 0
          ? "No first e-mails to spread."
          : `At most ${formatCount(ramp.perHour)} an hour, starting ${starting}; ${ramp.totalHours} hour${ramp.totalHours === 1 ? "" : "s"} in all. Quiet hours and each customer's usual ordering hour can move an e-mail later.`}
      </Text>
      {ramp.hours.length > 0 ? (
        <DataTable
          columnContentTypes={["text", "numeric"]}
          headings={["Hour", "First e-mails"]}
          rows={ramp.hours.map((sends, offset) => [`Hour ${offset + 1}`, formatCount(sends)])}
        />
      ) : null}
    </SectionCard>
  );
}
