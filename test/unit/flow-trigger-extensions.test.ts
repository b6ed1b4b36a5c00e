import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { FLOW_TRIGGERS, flowPayload, REFERENCE_KEYS, type FlowTriggerKind } from "../../app/domain/flow-triggers";

// Each extensions/<handle>/shopify.extension.toml as Shopify's CLI would take it (the trigger
// reference's rules), and the engine's payload keys exactly the fields it declares.

// What Shopify's CLI accepts for trigger fields (it refuses e.g. number_integer or date on triggers).
const REFERENCE_TYPES = ["customer_reference", "order_reference", "product_reference", "marketing_activity_reference"];
const CUSTOM_TYPES = ["boolean", "email", "single_line_text_field", "url", "number_decimal"];

interface TriggerToml {
  extensions: { name: string; type: string; handle: string; description?: string }[];
  settings?: { fields?: { type: string; key?: string; description?: string }[] };
}

const dir = path.resolve("extensions");
const extensions = readdirSync(dir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => ({
    folder: entry.name,
    toml: parse(readFileSync(path.join(dir, entry.name, "shopify.extension.toml"), "utf8")) as unknown as TriggerToml,
  }));

const SAMPLE = {
  customerId: 42n,
  campaignName: "Win-Back",
  holdout: false,
  lastStepSent: 2,
  orderId: 7n,
  code: "WB-ABC",
  orderRevenue: 59.9,
  exitReason: "ordered_on_their_own",
};

describe("Flow trigger extensions", () => {
  it("are the three the engine fires, one folder each, named after their handle", () => {
    expect(extensions.map((extension) => extension.folder).sort()).toEqual(
      Object.values(FLOW_TRIGGERS)
        .map((trigger) => trigger.handle)
        .sort(),
    );
  });

  it.each(extensions)("$folder declares a valid flow_trigger", ({ folder, toml }) => {
    expect(toml.extensions).toHaveLength(1);
    const [extension] = toml.extensions;
    expect(extension).toMatchObject({ type: "flow_trigger", handle: folder });
    expect(extension!.name.trim()).not.toBe("");
    expect(extension!.handle.length).toBeLessThanOrEqual(30);
    expect(extension!.handle).toMatch(/^[a-zA-Z0-9-]+$/);
    const fields = toml.settings?.fields ?? [];
    expect(fields.length).toBeGreaterThan(0);
    for (const field of fields) {
      expect([...REFERENCE_TYPES, ...CUSTOM_TYPES]).toContain(field.type);
      if (CUSTOM_TYPES.includes(field.type)) {
        expect(field.key?.trim(), `${folder}: a custom field needs a key`).toBeTruthy();
        expect(field.key, `${folder}: keys are letters and spaces`).toMatch(/^[a-zA-Z\s]+$/);
      }
    }
    const keys = fields.map((field) => field.key ?? field.type);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each(Object.keys(FLOW_TRIGGERS) as FlowTriggerKind[])(
    "%s: the payload has exactly the declared fields, with values of their types",
    (kind) => {
      const { toml } = extensions.find((extension) => extension.folder === FLOW_TRIGGERS[kind].handle)!;
      const fields = toml.settings!.fields!;
      expect(fields).toEqual(
        FLOW_TRIGGERS[kind].fields.map((field) => Object.fromEntries(Object.entries(field).filter(([, value]) => value !== undefined))),
      );
      const payload = flowPayload(kind, SAMPLE);
      expect(Object.keys(payload).sort()).toEqual(
        fields.map((field) => field.key ?? REFERENCE_KEYS[field.type as keyof typeof REFERENCE_KEYS]!).sort(),
      );
      for (const field of fields) {
        const value = payload[field.key ?? REFERENCE_KEYS[field.type as keyof typeof REFERENCE_KEYS]!];
        if (field.type === "boolean") expect(typeof value).toBe("boolean");
        else if (field.type.startsWith("number_") || field.type.endsWith("_reference")) expect(typeof value).toBe("number");
        else expect(typeof value).toBe("string");
        if (field.type.endsWith("_reference") || field.key === "Step") expect(Number.isInteger(value)).toBe(true);
      }
    },
  );
});
