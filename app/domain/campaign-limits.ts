/** Limits the editor's browser code shares with the settings schema (app/domain/campaign.ts), without its dependencies. */
export const MAX_STEPS = 3;
