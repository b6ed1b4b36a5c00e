import { enqueue, queueBacklog } from "./client.server";
import { logger } from "../logger.server";
import { engineClockIsScaled } from "./engine-now";

/**
 * The engine queue is kept about this short (jobs not yet taken by a worker): work that comes due
 * later, of any shop, then waits behind at most this much.
 */
export const MAX_ENGINE_BACKLOG = 40;
/** Below this the queue is refilled at once, not at the next scheduled dispatch. */
const REFILL_BELOW = MAX_ENGINE_BACKLOG / 2;

/**
 * After a job of due steps: when the engine queue is running low, asks for a dispatch now (one at
 * a time: a dispatch already waiting makes this a no-op), so the workers stay fed between the
 * scheduled dispatches. (The demo dispatches by itself, step by step.)
 */
export async function refillEngineQueue(): Promise<void> {
  if (engineClockIsScaled) return;
  try {
    if ((await queueBacklog("engine")) >= REFILL_BELOW) return;
    await enqueue("dispatchSteps", {}, { deduplication: { id: "dispatch-steps-refill" } });
  } catch (error) {
    // The job's own work is done; the scheduled dispatch refills the queue instead.
    logger.warn({ err: (error as Error).message }, "could not ask for a dispatch; the schedule will");
  }
}
