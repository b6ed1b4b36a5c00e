import { describe, expect, it } from "vitest";
import { syncBadge, syncInProgress } from "../../app/domain/sync-status";

describe("the home page's data sync", () => {
  it("says each back-fill state in words, with the phase while it runs", () => {
    expect(syncBadge({ state: "idle", phase: null })).toEqual({ label: "Not started", tone: undefined });
    expect(syncBadge({ state: "requested", phase: null })).toEqual({ label: "Starting", tone: "info" });
    expect(syncBadge({ state: "running", phase: "orders" })).toEqual({ label: "Importing orders", tone: "info" });
    expect(syncBadge({ state: "running", phase: null })).toEqual({ label: "Importing", tone: "info" });
    expect(syncBadge({ state: "completed", phase: "products" })).toEqual({ label: "Up to date", tone: "success" });
    expect(syncBadge({ state: "failed", phase: "orders" })).toEqual({ label: "Failed", tone: "critical" });
  });

  it("shows a state it does not know as it is", () => {
    expect(syncBadge({ state: "paused", phase: null })).toEqual({ label: "paused", tone: undefined });
  });

  it("holds 'Read again' only while a back-fill is asked for or running", () => {
    expect(["idle", "requested", "running", "completed", "failed"].filter(syncInProgress)).toEqual(["requested", "running"]);
  });
});
