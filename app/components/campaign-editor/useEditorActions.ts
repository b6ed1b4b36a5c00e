import { useNavigate, useNavigation, useSubmit } from "@remix-run/react";
import type { CampaignStatus } from "../../domain/campaign";
import type { CampaignDraft } from "../../domain/campaign-draft";

/**
 * The editor page's actions: Save; the pre-launch check (a draft, once saved), Pause or Resume;
 * Results; Delete. Each posts its intent as JSON to the page's action.
 */
export function useEditorActions(options: {
  campaignId: number;
  status: CampaignStatus;
  dirty: boolean;
  edited: CampaignDraft;
  onSave: () => void;
}) {
  const { campaignId, status, dirty } = options;
  const submit = useSubmit();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const busy = (intent: string) => navigation.state !== "idle" && (navigation.json as { intent?: string } | undefined)?.intent === intent;
  const post = (intent: string, extra: Record<string, unknown> = {}) =>
    submit({ intent, ...extra } as never, { method: "post", encType: "application/json" });
  const save = () => {
    options.onSave();
    post("save", { settings: options.edited.settings, email: options.edited.email });
  };
  const statusAction =
    status === "draft"
      ? {
          content: "Pre-launch check",
          disabled: dirty,
          helpText: dirty ? "Save first" : undefined,
          onAction: () => navigate(`/app/campaigns/${campaignId}/check`),
        }
      : status === "live"
        ? { content: "Pause", loading: busy("pause"), onAction: () => post("pause") }
        : { content: "Resume", loading: busy("resume"), onAction: () => post("resume") };
  return {
    primaryAction: { content: "Save", onAction: save, loading: busy("save"), disabled: !dirty },
    secondaryActions: [
      statusAction,
      { content: "Results", onAction: () => navigate(`/app/campaigns/${campaignId}/results`) },
      {
        content: "Delete",
        destructive: true,
        onAction: () => confirm("Delete this campaign? Its customers leave it and their codes are deleted.") && post("delete"),
      },
    ],
  };
}
