import { Badge } from "@shopify/polaris";
import type { CampaignStatus } from "../domain/campaign";

const STATUS: Record<CampaignStatus, { label: string; tone: "success" | "attention" | undefined }> = {
  draft: { label: "Draft", tone: undefined },
  live: { label: "Live", tone: "success" },
  paused: { label: "Paused", tone: "attention" },
};

export function CampaignStatusBadge({ status }: { status: CampaignStatus }) {
  return <Badge tone={STATUS[status].tone}>{STATUS[status].label}</Badge>;
}
