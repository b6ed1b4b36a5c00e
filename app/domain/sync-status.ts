/**
 * The home page's "Customer data" badge and button: the back-fill's state in words. The state
 * comes from `shops.sync_state` (the back-fill's state machine); one we do not know is shown as is.
 */

export type SyncTone = "success" | "info" | "attention" | "critical" | undefined;

const SYNC_STATES: Record<string, { label: string; tone: SyncTone }> = {
  idle: { label: "Not started", tone: undefined },
  requested: { label: "Starting", tone: "info" },
  running: { label: "Importing", tone: "info" },
  completed: { label: "Up to date", tone: "success" },
  failed: { label: "Failed", tone: "critical" },
};

/** The badge: "Importing orders" while a phase runs, "Up to date" when done, … */
export function syncBadge(sync: { state: string; phase: string | null }): { label: string; tone: SyncTone } {
  const known = SYNC_STATES[sync.state] ?? { label: sync.state, tone: undefined };
  return { label: known.label + (sync.state === "running" && sync.phase ? ` ${sync.phase}` : ""), tone: known.tone };
}

/** "Read again from Shopify" waits while a back-fill is asked for or running (asking again would be a no-op). */
export function syncInProgress(state: string): boolean {
  return state === "running" || state === "requested";
}
