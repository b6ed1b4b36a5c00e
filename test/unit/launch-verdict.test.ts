import { describe, expect, it } from "vitest";
import type { CampaignProblem } from "../../app/domain/campaign";
import { launchVerdict, problemMessages } from "../../app/domain/launch-verdict";

const blocking = (message: string): CampaignProblem => ({ severity: "blocking", message });
const warning = (message: string): CampaignProblem => ({ severity: "warning", message });

describe("the pre-launch check's verdict", () => {
  it("lists what blocks going Live first, whatever the status, with the warnings beside it", () => {
    const problems = [blocking("No address"), warning("Nobody qualifies today"), blocking("Still reading")];
    expect(launchVerdict("draft", problems)).toEqual({
      verdict: { kind: "blocked", problems: ["No address", "Still reading"] },
      warnings: ["Nobody qualifies today"],
    });
    expect(launchVerdict("live", problems).verdict.kind).toBe("blocked");
  });

  it("says a campaign that is not a draft is already Live or paused", () => {
    expect(launchVerdict("live", []).verdict).toEqual({ kind: "already", status: "Live" });
    expect(launchVerdict("paused", [warning("w")])).toEqual({ verdict: { kind: "already", status: "paused" }, warnings: ["w"] });
  });

  it("says nothing blocks a draft without blocking problems", () => {
    expect(launchVerdict("draft", [warning("w")])).toEqual({ verdict: { kind: "ready" }, warnings: ["w"] });
  });

  it("keeps the problems' order within a severity", () => {
    expect(problemMessages([blocking("b"), warning("w"), blocking("a")], "blocking")).toEqual(["b", "a"]);
  });
});
