import { completeFinishedEnrollments, dispatchDueSteps, STEP_JOB_SIZE } from "../models/steps.server";
import { enqueue, queueBacklog } from "./client.server";
import { MAX_ENGINE_BACKLOG } from "./engine-backlog";
import { engineClockIsScaled, engineNow } from "./engine-now";

/** Steps leased per dispatch round at most. */
const ROUND_LIMIT = 2_000;
const MAX_ROUNDS = 10;

/**
 * Leases due steps in rounds while the engine queue has room (MAX_ENGINE_BACKLOG; the step jobs
 * ask for a dispatch when it runs low), each round shared between shops in
 * turns (`dispatchDueSteps`), and queues each shop's first job before anyone's second (job
 * priority = its turn, across everything waiting), so a shop whose huge Go Live is due at once
 * does not hold back the first e-mails of others, and still gets every slot they leave free.
 */
export async function run(): Promise<{ jobs: number; completed: number }> {
  let queued = 0;
  // The demo's engine clock runs so fast that a second round could find the first one's leases over.
  const rounds = engineClockIsScaled ? 1 : MAX_ROUNDS;
  for (let round = 0; round < rounds; round++) {
    const room = MAX_ENGINE_BACKLOG - (await queueBacklog("engine"));
    if (room <= 0) break;
    const limit = Math.min(ROUND_LIMIT, room * STEP_JOB_SIZE);
    const jobs = await dispatchDueSteps(limit, { now: engineNow() });
    for (const job of jobs)
      await enqueue("runSteps", { shopId: job.shopId, enrollmentIds: job.enrollmentIds.map(String) }, { priority: job.turn });
    queued += jobs.length;
    const leased = jobs.reduce((sum, job) => sum + job.enrollmentIds.length, 0);
    if (leased < limit) break; // nothing more is due
  }
  return { jobs: queued, completed: await completeFinishedEnrollments({ now: engineNow() }) };
}
