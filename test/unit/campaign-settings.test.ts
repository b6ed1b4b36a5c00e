import { describe, expect, it } from "vitest";
import { defaultCampaignSettings, offerOfStep, validateCampaignSettings, type CampaignSettings } from "../../app/domain/campaign";

const defaults = defaultCampaignSettings();
/** The default settings with some fields changed, as the editor would post them. */
function edited(change: (settings: CampaignSettings) => void): unknown {
  const settings = structuredClone(defaults);
  change(settings);
  return settings;
}

describe("campaign settings", () => {
  it("ships a valid ready-made campaign: no discount, then 10%, then 15%", () => {
    expect(validateCampaignSettings(defaults)).toEqual({ ok: true, settings: defaults });
    expect(defaults.steps.map((step) => step.delayHours)).toEqual([0, 96, 240]);
    expect([0, 1, 2].map((index) => offerOfStep(defaults, index)?.offer)).toEqual([
      undefined,
      expect.objectContaining({ kind: "percentage", value: 10 }),
      expect.objectContaining({ kind: "percentage", value: 15 }),
    ]);
    expect(defaults).toMatchObject({
      holdoutPercent: 10,
      attributionWindowDays: 5,
      audience: { lapse: { kind: "inactivity", days: 90 }, cooldownDays: 180 },
    });
  });

  it("names each bad field and says why", () => {
    const result = validateCampaignSettings(
      edited((settings) => {
        settings.name = " ";
        settings.holdoutPercent = 80;
        settings.steps[1]!.offer = {
          use: "new",
          offer: {
            kind: "percentage",
            value: 120,
            expiresInDays: 14,
            minimumSubtotal: null,
            combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: false },
          },
        };
        settings.steps[2]!.delayHours = 48;
      }),
    );
    expect(result).toEqual({
      ok: false,
      fieldErrors: {
        name: "Enter a name",
        holdoutPercent: "The holdout must be 0 to 50%",
        "steps.1.offer.offer.value": "The percentage must be 1 to 100",
        "steps.2.delayHours": "Step 3 must come after step 2",
      },
    });
  });

  it("allows at most three steps, and at least one", () => {
    const four = edited((settings) => settings.steps.push({ ...settings.steps[2]!, delayHours: 400 }));
    expect(validateCampaignSettings(four)).toEqual({ ok: false, fieldErrors: { steps: "At most 3 steps" } });
    expect(validateCampaignSettings(edited((settings) => (settings.steps = [])))).toEqual({
      ok: false,
      fieldErrors: { steps: "A campaign needs at least one step" },
    });
  });

  it("refuses a 'same code' step with no code before it, and an offer block without an offer", () => {
    const result = validateCampaignSettings(
      edited((settings) => {
        settings.steps[0]!.offer = { use: "previous" };
        settings.steps[0]!.content.showOffer = false;
        settings.steps[1]!.offer = { use: "none" };
      }),
    );
    expect(result).toEqual({
      ok: false,
      fieldErrors: {
        "steps.0.offer.use": "No earlier step has a code to send again",
        "steps.1.content.showOffer": "This step has no offer to show",
      },
    });
  });

  it("refuses to repeat a code that will have ended by then", () => {
    const result = validateCampaignSettings(
      edited((settings) => {
        settings.steps[2]!.offer = { use: "previous" };
        settings.steps[2]!.delayHours = 96 + 14 * 24;
      }),
    );
    expect(result).toEqual({ ok: false, fieldErrors: { "steps.2.offer.use": "Step 2's code ends before this step; make it last longer" } });
  });

  it("sends an earlier step's code again", () => {
    const settings = validateCampaignSettings(edited((draft) => (draft.steps[2]!.offer = { use: "previous" })));
    expect(settings.ok && offerOfStep(settings.settings, 2)).toEqual({ offer: expect.objectContaining({ value: 10 }), fromStep: 1 });
  });

  it("reports a step's Liquid problem at its field, with line and column", () => {
    const result = validateCampaignSettings(
      edited((settings) => (settings.steps[1]!.content.body = "<p>Hi</p>\n<p>{{ customer.emial }}</p>")),
    );
    expect(result).toEqual({ ok: false, fieldErrors: { "steps.1.content.body": "Unknown variable customer.emial (line 2, column 7)" } });
  });

  it("checks money: positive, two decimals", () => {
    const fixed = (value: number) =>
      validateCampaignSettings(
        edited(
          (settings) =>
            (settings.steps[1]!.offer = {
              use: "new",
              offer: {
                kind: "fixed_amount",
                value,
                expiresInDays: 14,
                minimumSubtotal: null,
                combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: false },
              },
            }),
        ),
      );
    expect(fixed(10.5).ok).toBe(true);
    expect(fixed(0)).toEqual({ ok: false, fieldErrors: { "steps.1.offer.offer.value": "The amount must be more than 0" } });
    expect(fixed(9.999)).toEqual({ ok: false, fieldErrors: { "steps.1.offer.offer.value": "Use at most two decimals" } });
  });
});
