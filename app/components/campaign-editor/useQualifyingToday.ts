import { useEffect } from "react";
import { useFetcher } from "@remix-run/react";
import type { AudienceRules } from "../../domain/audience";
import type { QualifyingTodayCount } from "./QualifyingToday";

/** The live count of who qualifies (`…/audience`), asked again after the merchant stops editing the audience. */
export function useQualifyingToday(campaignId: number, audience: AudienceRules): QualifyingTodayCount {
  const counted = useFetcher<{ count?: number; error?: string }>();
  const audienceKey = JSON.stringify(audience);
  useEffect(() => {
    const timer = setTimeout(
      () => counted.submit({ audience }, { method: "post", action: `/app/campaigns/${campaignId}/audience`, encType: "application/json" }),
      500,
    );
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [audienceKey]);
  return { count: counted.data?.count ?? null, loading: counted.state !== "idle", error: counted.data?.error ?? null };
}
