import { describe, expect, it } from "vitest";
import { defaultCampaignSettings } from "../../app/domain/campaign";
import {
  changedFields,
  draftReducer,
  hasEarlierCode,
  initialDraft,
  notSavedTitle,
  type CampaignDraft,
  type DraftState,
} from "../../app/domain/campaign-draft";
import { DEFAULT_NEW_OFFER } from "../../app/domain/campaign-edits";

const draft = (): CampaignDraft => ({ settings: defaultCampaignSettings(), email: { senderName: "", replyTo: "" } });
const apply = (state: DraftState, ...changes: Parameters<typeof draftReducer>[1][]) => changes.reduce(draftReducer, state);

describe("what the editor has changed", () => {
  it("is nothing for an equal copy, whatever its key order or unset properties", () => {
    const saved = draft();
    const copy = structuredClone(saved);
    copy.settings = { ...copy.settings, quietHours: { end: copy.settings.quietHours.end, start: copy.settings.quietHours.start } };
    (copy.email as unknown as Record<string, unknown>).extra = undefined;
    expect(changedFields(saved, copy)).toEqual([]);
  });

  it("names each changed setting and sender field, a deep change by its top-level setting", () => {
    const saved = draft();
    const edited = structuredClone(saved);
    edited.settings.holdoutPercent = 20;
    edited.settings.steps[1]!.content.body += "!";
    edited.email.replyTo = "ana@alpha.example";
    expect(changedFields(saved, edited)).toEqual(["holdoutPercent", "steps", "email.replyTo"]);
  });

  it("counts an emptied number field (null) and a removed step as changes", () => {
    const saved = draft();
    const emptied = structuredClone(saved);
    (emptied.settings as { rampPerHour: number | null }).rampPerHour = null;
    expect(changedFields(saved, emptied)).toEqual(["rampPerHour"]);
    expect(changedFields(saved, { ...saved, settings: { ...saved.settings, steps: saved.settings.steps.slice(0, 2) } })).toEqual(["steps"]);
  });
});

describe("the editor's draft", () => {
  it("is saved as it was sent: edits typed while the save was on its way stay unsaved", () => {
    const start = initialDraft(draft());
    const named = { ...start.edited.settings, name: "Spring" };
    const sent = apply(start, { type: "edit-settings", settings: named }, { type: "save-sent" });
    const typedMeanwhile = apply(sent, { type: "edit-settings", settings: { ...named, holdoutPercent: 5 } });
    const answered = apply(typedMeanwhile, { type: "answered", saved: true, fieldErrors: {} });
    expect(answered.saved.settings.name).toBe("Spring");
    expect(changedFields(answered.saved, answered.edited)).toEqual(["holdoutPercent"]);
  });

  it("keeps what was typed and shows the errors when a save is refused; the next answer clears them", () => {
    const start = initialDraft(draft());
    const refused = apply(
      start,
      { type: "edit-email", email: { senderName: "", replyTo: "nope" } },
      { type: "save-sent" },
      { type: "answered", saved: false, fieldErrors: { "email.replyTo": "Enter an e-mail address" } },
    );
    expect(refused.saved).toBe(start.saved);
    expect(refused.edited.email.replyTo).toBe("nope");
    expect(refused.fieldErrors).toEqual({ "email.replyTo": "Enter an e-mail address" });
    expect(apply(refused, { type: "answered", saved: false, fieldErrors: {} }).fieldErrors).toEqual({});
  });

  it("adds a step four days after the last, with a new code shown in the e-mail", () => {
    const start = initialDraft(draft());
    const twoSteps = apply(start, { type: "remove-step", index: 2 });
    const added = apply(twoSteps, { type: "add-step" }).edited.settings.steps[2]!;
    expect(added.delayHours).toBe(4 * 24 + 4 * 24);
    expect(added.offer).toEqual({ use: "new", offer: DEFAULT_NEW_OFFER });
    expect(added.content).toEqual({ ...start.edited.settings.steps[1]!.content, showOffer: true });
  });

  it("removes a step, previewing the first and dropping field errors that would show on the wrong card", () => {
    const start = { ...initialDraft(draft()), previewStep: 2, fieldErrors: { "steps.2.delayHours": "Step 3 must come after step 2" } };
    const removed = apply(start, { type: "remove-step", index: 1 });
    expect(removed.edited.settings.steps.map((step) => step.delayHours)).toEqual([0, 10 * 24]);
    expect(removed.previewStep).toBe(0);
    expect(removed.fieldErrors).toEqual({});
  });

  it("edits one step and leaves the others as they were", () => {
    const start = initialDraft(draft());
    const step = { ...start.edited.settings.steps[0]!, delayHours: 24 };
    const edited = apply(start, { type: "edit-step", index: 0, step }, { type: "preview-step", index: 1 });
    expect(edited.edited.settings.steps[0]).toBe(step);
    expect(edited.edited.settings.steps[1]).toBe(start.edited.settings.steps[1]);
    expect(edited.previewStep).toBe(1);
  });
});

describe("the editor's words", () => {
  it("knows whether an earlier step has a code to send again", () => {
    const steps = defaultCampaignSettings().steps;
    expect([0, 1, 2].map((index) => hasEarlierCode(steps, index))).toEqual([false, false, true]);
  });

  it("sums up a refused save", () => {
    expect(notSavedTitle({ name: "Enter a name" })).toBe("Not saved: one field needs fixing");
    expect(notSavedTitle({ name: "x", holdoutPercent: "y", "email.replyTo": "z" })).toBe("Not saved: 3 fields need fixing");
  });
});
