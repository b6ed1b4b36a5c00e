import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseIntent } from "../../app/domain/intent";

const intents = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("resync") }),
  z.object({ intent: z.literal("save"), settings: z.object({ name: z.string() }) }),
]);

describe("an action's intent", () => {
  it("is parsed into its own shape", () => {
    expect(parseIntent(intents, { intent: "resync" })).toEqual({ ok: true, data: { intent: "resync" } });
    expect(parseIntent(intents, { intent: "save", settings: { name: "A" } })).toEqual({
      ok: true,
      data: { intent: "save", settings: { name: "A" } },
    });
  });

  it("is refused when unknown or missing, naming the ones there are", () => {
    expect(parseIntent(intents, { intent: "resync_all" })).toEqual({
      ok: false,
      error: 'Unknown intent "resync_all": expected one of resync, save',
    });
    expect(parseIntent(intents, {})).toEqual({ ok: false, error: "Missing intent: expected one of resync, save" });
  });

  it("is refused when its fields are malformed, naming them", () => {
    expect(parseIntent(intents, { intent: "save", settings: { name: 3 } })).toEqual({
      ok: false,
      error: 'Malformed "save" request: settings.name: Invalid input: expected string, received number',
    });
  });

  it("is refused when the body is not an object (no JSON, a string, a list)", () => {
    for (const body of [null, "resync", ["resync"]]) {
      expect(parseIntent(intents, body)).toEqual({ ok: false, error: "Malformed request: expected an object with an intent" });
    }
  });
});
