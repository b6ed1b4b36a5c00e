import { describe, expect, it } from "vitest";
import { funnelStages, type FunnelFacts } from "../../app/domain/results-funnel";

const step = (n: number, sent: number, opened: number, clicked: number) => ({ step: n, sent, opened, clicked });

describe("the results funnel", () => {
  it("goes from entered to converted, every stage after contacted as a share of the contacted", () => {
    const results: FunnelFacts = {
      entered: 100,
      contacted: 90,
      conversions: { contacted: 7 },
      steps: [step(1, 90, 40, 10), step(2, 80, 50, 8)],
    };
    expect(funnelStages(results)).toEqual([
      { label: "Entered", value: 100, shareOf: null },
      { label: "Contacted (not holdout)", value: 90, shareOf: null },
      { label: "Step 1 sent", value: 90, shareOf: 90 },
      { label: "Step 2 sent", value: 80, shareOf: 90 },
      // The best step's opens and clicks, not their sum: one customer may open several e-mails.
      { label: "Opened (best step)", value: 50, shareOf: 90 },
      { label: "Clicked (best step)", value: 10, shareOf: 90 },
      { label: "Converted", value: 7, shareOf: 90 },
    ]);
  });

  it("shows zero opens and clicks before any step was sent", () => {
    const stages = funnelStages({ entered: 3, contacted: 0, conversions: { contacted: 0 }, steps: [] });
    expect(stages.map((stage) => [stage.label, stage.value])).toEqual([
      ["Entered", 3],
      ["Contacted (not holdout)", 0],
      ["Opened (best step)", 0],
      ["Clicked (best step)", 0],
      ["Converted", 0],
    ]);
  });
});
