import { Banner } from "@shopify/polaris";
import type { LaunchVerdict } from "../../domain/launch-verdict";
import { ProblemList } from "../ProblemList";

/** The check's headline: what blocks going Live, that the campaign is already Live or paused, or that nothing blocks it. */
export function LaunchVerdictBanner({ verdict }: { verdict: LaunchVerdict }) {
  switch (verdict.kind) {
    case "blocked":
      return (
        <Banner tone="critical" title="Fix these before going Live">
          <ProblemList messages={verdict.problems} />
        </Banner>
      );
    case "already":
      return <Banner tone="info" title={`This campaign is already ${verdict.status}`} />;
    case "ready":
      return <Banner tone="success" title="Nothing blocks the launch" />;
  }
}
