import type { CampaignSettings, Offer, StepOffer } from "../../domain/campaign";
import type { StepContent } from "../../email/template";

/** The editor's working copy: the settings' shape, where a number being typed may be null. */
export type EditorSettings = CampaignSettings;
export type EditorStep = CampaignSettings["steps"][number];
export type { Offer, StepContent, StepOffer };

export { MAX_STEPS } from "../../domain/campaign-limits";

export interface EmailSettingsDraft {
  senderName: string;
  replyTo: string;
}
