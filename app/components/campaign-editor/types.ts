import type { CampaignSettings, Offer, StepOffer } from "../../domain/campaign";
import type { StepContent } from "../../email/template";

/**
 * The editor's working copy, in the settings' shape. A number field being emptied holds null
 * (NumberField) until the save, where the schema refuses it with the field's own message.
 */
export type EditorSettings = CampaignSettings;
export type EditorStep = CampaignSettings["steps"][number];
export type { Offer, StepContent, StepOffer };

export { MAX_STEPS } from "../../domain/campaign-limits";

export type { EmailSettingsDraft } from "../../domain/campaign-draft";
