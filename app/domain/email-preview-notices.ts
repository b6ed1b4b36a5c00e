/**
 * What the editor's preview says when it shows no e-mail, and what "Send test to me" answered.
 * The answers are those of app/routes/app.campaigns.$id_.preview.tsx.
 */

export type PreviewRefusal = { ok: false; reason: string } | { ok: false; fieldErrors: Record<string, string> };

const FIX_FIELDS = "Fix the step's fields first.";

/** Why there is no preview: the reason, else the first field error of the step. */
export function previewRefusalText(refusal: PreviewRefusal): string {
  return "reason" in refusal ? refusal.reason : (Object.values(refusal.fieldErrors)[0] ?? FIX_FIELDS);
}

export type TestSendNotice = { tone: "success"; title: string } | { tone: "critical"; title: string; detail: string } | null;

export function testSendNotice(answer: { ok: true; to?: string } | PreviewRefusal | undefined): TestSendNotice {
  if (!answer) return null;
  if ("to" in answer) return { tone: "success", title: `Test e-mail sent to ${answer.to}` };
  if (answer.ok) return null;
  return { tone: "critical", title: "The test was not sent", detail: "reason" in answer ? answer.reason : FIX_FIELDS };
}
