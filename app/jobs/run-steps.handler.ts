import { mailTransport } from "../email/mailer.server";
import type { MailTransport } from "../email/transport.server";
import { adminQuery, type AdminQuery } from "../models/shopify-admin.server";
import { runSteps } from "../models/steps.server";
import type { Attempt } from "./attempts";
import { refillEngineQueue } from "./engine-backlog";
import { engineNow } from "./engine-now";
import type { RunStepsPayload } from "./run-steps";

export async function run(
  { shopId, enrollmentIds }: RunStepsPayload,
  _attempt?: Attempt,
  deps: { admin: AdminQuery; transport: MailTransport } = { admin: adminQuery, transport: mailTransport() },
) {
  const steps = await runSteps(shopId, enrollmentIds.map(BigInt), { ...deps, now: engineNow() });
  await refillEngineQueue();
  return {
    sent: steps.sent,
    postponed: steps.postponed,
    exited: steps.exited,
    sendingElsewhere: steps.sendingElsewhere,
    notSent: steps.notSent.size,
  };
}
