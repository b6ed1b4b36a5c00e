import { mailTransport } from "../../app/email/mailer.server";
import { adminQuery } from "../../app/models/shopify-admin.server";
import { dispatchDueSteps, runSteps } from "../../app/models/steps.server";

/**
 * Moves the emulator's clock to `at` and runs whatever is due then, as the dispatcher's jobs would
 * (in this process), so tests decide when the steps of a campaign happen.
 */
export async function runDueSteps(at: Date, clock: { now: Date }): Promise<void> {
  clock.now = at;
  for (const job of await dispatchDueSteps(10_000, { now: at }))
    await runSteps(job.shopId, job.enrollmentIds, { admin: adminQuery, transport: mailTransport(), now: at });
}
