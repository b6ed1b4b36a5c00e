import type { CampaignProblem, CampaignStatus } from "./campaign";

/**
 * The pre-launch check's headline: the problems that block going Live, else that the campaign
 * is already Live or paused, else that nothing blocks it. Warnings are listed beside it either way.
 */

export type LaunchVerdict = { kind: "blocked"; problems: string[] } | { kind: "already"; status: "Live" | "paused" } | { kind: "ready" };

export function launchVerdict(status: CampaignStatus, problems: CampaignProblem[]): { verdict: LaunchVerdict; warnings: string[] } {
  const blocking = problemMessages(problems, "blocking");
  const verdict: LaunchVerdict =
    blocking.length > 0
      ? { kind: "blocked", problems: blocking }
      : status !== "draft"
        ? { kind: "already", status: status === "live" ? "Live" : "paused" }
        : { kind: "ready" };
  return { verdict, warnings: problemMessages(problems, "warning") };
}

/** The messages of the problems of one severity, in their order (most important first). */
export function problemMessages(problems: CampaignProblem[], severity: CampaignProblem["severity"]): string[] {
  return problems.filter((problem) => problem.severity === severity).map((problem) => problem.message);
}
