/**
 * The results page's funnel: from entering the campaign to converting. Each stage has its count
 * and, from the contacted stage on, the count it is a share of (the contacted customers), so the
 * page can print "1,204 (48%)". Opens and clicks are taken from the step that had most of them,
 * as a customer can open several steps' e-mails.
 */

export interface FunnelStage {
  label: string;
  value: number;
  /** The whole this stage is printed as a share of; null for none. */
  shareOf: number | null;
}

export interface FunnelFacts {
  entered: number;
  contacted: number;
  conversions: { contacted: number };
  steps: { step: number; sent: number; opened: number; clicked: number }[];
}

export function funnelStages(results: FunnelFacts): FunnelStage[] {
  const contacted = results.contacted;
  const best = (count: (step: FunnelFacts["steps"][number]) => number) => Math.max(0, ...results.steps.map(count));
  return [
    { label: "Entered", value: results.entered, shareOf: null },
    { label: "Contacted (not holdout)", value: contacted, shareOf: null },
    ...results.steps.map((step) => ({ label: `Step ${step.step} sent`, value: step.sent, shareOf: contacted })),
    { label: "Opened (best step)", value: best((step) => step.opened), shareOf: contacted },
    { label: "Clicked (best step)", value: best((step) => step.clicked), shareOf: contacted },
    { label: "Converted", value: results.conversions.contacted, shareOf: contacted },
  ];
}
