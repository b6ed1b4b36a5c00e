import { mailTransport } from "../email/mailer.server";
import type { MailTransport } from "../email/transport.server";
import { deliverSend, type DeliveryOutcome } from "../models/email-delivery.server";
import { markSendFailed } from "../models/send-ledger.server";
import { isLastAttempt, type Attempt } from "./attempts";
import type { SendEmailPayload } from "./send-email";

/**
 * Sends one ledger row. A transient provider failure is retried with backoff; after the last
 * attempt the row is marked failed, visibly, with the provider's answer.
 */
export async function run(
  { shopId, sendId }: SendEmailPayload,
  attempt: Attempt,
  deps: { transport: MailTransport } = { transport: mailTransport() },
): Promise<DeliveryOutcome> {
  try {
    return await deliverSend(shopId, BigInt(sendId), { transport: deps.transport });
  } catch (error) {
    if (isLastAttempt(attempt)) await markSendFailed(shopId, BigInt(sendId), (error as Error).message);
    throw error;
  }
}
