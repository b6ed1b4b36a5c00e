/**
 * The results page's CSV export as the merchant follows it: nothing yet, the file being
 * prepared, or a failure with its reason. The banner shown for each is decided here.
 */

export type ExportState = { kind: "idle" } | { kind: "preparing" } | { kind: "failed"; reason: string };

export const EXPORT_IDLE: ExportState = { kind: "idle" };

export function exportFailed(error: unknown): ExportState {
  return { kind: "failed", reason: error instanceof Error ? error.message : String(error) };
}

export function exportBanner(state: ExportState): { tone: "info" | "critical"; title: string } | null {
  switch (state.kind) {
    case "idle":
      return null;
    case "preparing":
      return { tone: "info", title: "Preparing the file…" };
    case "failed":
      return { tone: "critical", title: `The export failed: ${state.reason}` };
  }
}
