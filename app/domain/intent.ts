import type { z } from "zod";

/**
 * What a page's action is asked to do. Each route action with intents declares them as a zod
 * discriminated union on `intent` (`z.discriminatedUnion("intent", [...])`) and parses the body
 * with `parseIntent`: an unknown intent or a malformed one is refused with a message that says
 * which, never mistaken for another intent.
 */

export type ParsedIntent<T> = { ok: true; data: T } | { ok: false; error: string };

export function parseIntent<T>(schema: z.ZodType<T>, input: unknown): ParsedIntent<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, data: parsed.data };
  return { ok: false, error: describeRefusal(parsed.error.issues, input) };
}

function describeRefusal(issues: z.core.$ZodIssue[], input: unknown): string {
  const first = issues[0];
  if (typeof input !== "object" || input === null || Array.isArray(input)) return "Malformed request: expected an object with an intent";
  if (first?.code === "invalid_union" && first.discriminator === "intent") {
    const expected = `expected one of ${("options" in first ? (first.options ?? []) : []).map(String).join(", ")}`;
    const intent = (input as { intent?: unknown }).intent;
    return intent === undefined ? `Missing intent: ${expected}` : `Unknown intent ${JSON.stringify(intent)}: ${expected}`;
  }
  const fields = issues.map((issue) => (issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message));
  return `Malformed ${JSON.stringify((input as { intent?: unknown }).intent)} request: ${fields.join("; ")}`;
}
