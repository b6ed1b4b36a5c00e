import { completeFinishedEnrollments, dispatchDueSteps } from "../models/steps.server";
import { enqueue } from "./client.server";
import { engineNow } from "./engine-now";

const DISPATCH_LIMIT = 5_000;

export async function run(): Promise<{ jobs: number; completed: number }> {
  const now = engineNow();
  const jobs = await dispatchDueSteps(DISPATCH_LIMIT, { now });
  for (const job of jobs) await enqueue("runSteps", { shopId: job.shopId, enrollmentIds: job.enrollmentIds.map(String) });
  return { jobs: jobs.length, completed: await completeFinishedEnrollments({ now }) };
}
