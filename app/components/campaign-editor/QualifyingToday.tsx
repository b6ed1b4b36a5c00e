import { Spinner, Text } from "@shopify/polaris";

export interface QualifyingTodayCount {
  count: number | null;
  loading: boolean;
  error: string | null;
}

/** The live count of who qualifies today for the audience as edited (announced to screen readers). */
export function QualifyingToday({ count, loading, error }: QualifyingTodayCount) {
  return (
    <div role="status" aria-live="polite">
      {loading ? (
        <Spinner size="small" accessibilityLabel="Counting who qualifies" />
      ) : error ? (
        <Text as="p" tone="critical">
          {error}
        </Text>
      ) : count !== null ? (
        <Text as="p" variant="headingSm">
          {count.toLocaleString("en-US")} subscribed customers qualify today
        </Text>
      ) : null}
    </div>
  );
}
