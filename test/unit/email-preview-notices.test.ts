import { describe, expect, it } from "vitest";
import { previewRefusalText, testSendNotice } from "../../app/domain/email-preview-notices";

describe("the editor's preview notices", () => {
  it("says why there is no preview: the reason, else the step's first field error", () => {
    expect(previewRefusalText({ ok: false, reason: "No such customer" })).toBe("No such customer");
    expect(previewRefusalText({ ok: false, fieldErrors: { subject: "Unknown variable nope", body: "Other" } })).toBe(
      "Unknown variable nope",
    );
    expect(previewRefusalText({ ok: false, fieldErrors: {} })).toBe("Fix the step's fields first.");
  });

  it("says where the test went, or why it was not sent", () => {
    expect(testSendNotice(undefined)).toBeNull();
    expect(testSendNotice({ ok: true, to: "owner@alpha.example" })).toEqual({
      tone: "success",
      title: "Test e-mail sent to owner@alpha.example",
    });
    expect(testSendNotice({ ok: false, reason: "Choose a customer" })).toEqual({
      tone: "critical",
      title: "The test was not sent",
      detail: "Choose a customer",
    });
    expect(testSendNotice({ ok: false, fieldErrors: { subject: "x" } })).toEqual({
      tone: "critical",
      title: "The test was not sent",
      detail: "Fix the step's fields first.",
    });
  });
});
