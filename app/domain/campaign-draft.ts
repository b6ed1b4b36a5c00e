// Types only: the settings schema (and the Liquid check it runs) stays out of the editor's browser bundle.
import type { CampaignSettings, FieldErrors } from "./campaign";
import { DEFAULT_NEW_OFFER } from "./campaign-edits";

/**
 * The campaign editor's working copy: what was saved, what is edited, what the save on its way
 * sent, the field errors of the last save, and the step being previewed. `draftReducer` is every
 * change the editor makes to it; `changedFields` says what differs from the saved copy (the Save
 * button, "Save first" before the pre-launch check).
 */

export interface EmailSettingsDraft {
  senderName: string;
  replyTo: string;
}

/** What one save sends: the campaign's settings and the shop's sender settings. */
export interface CampaignDraft {
  settings: CampaignSettings;
  email: EmailSettingsDraft;
}

export interface DraftState {
  saved: CampaignDraft;
  edited: CampaignDraft;
  /** What the last save sent: edits typed while it was on its way are not saved by it. */
  sent: CampaignDraft;
  fieldErrors: FieldErrors;
  previewStep: number;
}

type Step = CampaignSettings["steps"][number];

export type DraftChange =
  | { type: "edit-settings"; settings: CampaignSettings }
  | { type: "edit-email"; email: EmailSettingsDraft }
  | { type: "edit-step"; index: number; step: Step }
  | { type: "add-step" }
  | { type: "remove-step"; index: number }
  | { type: "preview-step"; index: number }
  | { type: "save-sent" }
  | { type: "answered"; saved: boolean; fieldErrors: FieldErrors };

export function initialDraft(saved: CampaignDraft): DraftState {
  return { saved, edited: saved, sent: saved, fieldErrors: {}, previewStep: 0 };
}

export function draftReducer(state: DraftState, change: DraftChange): DraftState {
  const settings = state.edited.settings;
  const editSettings = (next: CampaignSettings): DraftState => ({ ...state, edited: { ...state.edited, settings: next } });
  switch (change.type) {
    case "edit-settings":
      return editSettings(change.settings);
    case "edit-email":
      return { ...state, edited: { ...state.edited, email: change.email } };
    case "edit-step":
      return editSettings({ ...settings, steps: settings.steps.map((old, index) => (index === change.index ? change.step : old)) });
    case "add-step":
      return editSettings({ ...settings, steps: [...settings.steps, stepAfter(settings.steps[settings.steps.length - 1]!)] });
    case "remove-step":
      // The steps after it move up: their errors would show on the wrong card.
      return {
        ...editSettings({ ...settings, steps: settings.steps.filter((_, index) => index !== change.index) }),
        previewStep: 0,
        fieldErrors: {},
      };
    case "preview-step":
      return { ...state, previewStep: change.index };
    case "save-sent":
      return { ...state, sent: state.edited };
    case "answered":
      return { ...state, saved: change.saved ? state.sent : state.saved, fieldErrors: change.fieldErrors };
  }
}

/** A step added after the last: four days later, with a new code shown in the e-mail. */
export function stepAfter(last: Step): Step {
  return {
    ...last,
    delayHours: (last.delayHours ?? 0) + 4 * 24,
    offer: { use: "new", offer: DEFAULT_NEW_OFFER },
    content: { ...last.content, showOffer: true },
  };
}

/** Whether a step before this one creates a code ("the code from an earlier step again" is possible). */
export function hasEarlierCode(steps: Step[], index: number): boolean {
  return steps.slice(0, index).some((earlier) => earlier.offer.use === "new");
}

/** The parts of the draft that differ from the saved copy, as field paths ("holdoutPercent", "steps", "email.replyTo"). */
export function changedFields(saved: CampaignDraft, edited: CampaignDraft): string[] {
  const differing = (before: object, after: object, prefix: string) =>
    [...new Set([...Object.keys(before), ...Object.keys(after)])]
      .filter((key) => !sameValue((before as Record<string, unknown>)[key], (after as Record<string, unknown>)[key]))
      .map((key) => prefix + key);
  return [...differing(saved.settings, edited.settings, ""), ...differing(saved.email, edited.email, "email.")];
}

/** Equality of JSON-like values (as the server would receive them: a property set to undefined is absent). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b || (Number.isNaN(a) && Number.isNaN(b))) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((item, index) => sameValue(item, (b as unknown[])[index]));
  const before = a as Record<string, unknown>;
  const after = b as Record<string, unknown>;
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].every((key) => sameValue(before[key], after[key]));
}

/** The title of the summary above the form when a save was refused. */
export function notSavedTitle(fieldErrors: FieldErrors): string {
  const count = Object.keys(fieldErrors).length;
  return `Not saved: ${count === 1 ? "one field needs" : `${count} fields need`} fixing`;
}
