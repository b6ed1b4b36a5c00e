import { describe, expect, it } from "vitest";
import { EXPORT_IDLE, exportBanner, exportFailed } from "../../app/domain/csv-export";

describe("the results page's CSV export", () => {
  it("shows nothing until asked, then that the file is being prepared", () => {
    expect(exportBanner(EXPORT_IDLE)).toBeNull();
    expect(exportBanner({ kind: "preparing" })).toEqual({ tone: "info", title: "Preparing the file…" });
  });

  it("shows a failure with its reason, whatever was thrown", () => {
    expect(exportBanner(exportFailed(new Error("the server answered 500")))).toEqual({
      tone: "critical",
      title: "The export failed: the server answered 500",
    });
    expect(exportFailed("offline")).toEqual({ kind: "failed", reason: "offline" });
  });
});
