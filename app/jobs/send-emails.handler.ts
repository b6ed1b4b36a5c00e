import { mailTransport } from "../email/mailer.server";
import type { MailTransport } from "../email/transport.server";
import { deliverSends } from "../models/email-delivery.server";
import { markSendFailed } from "../models/send-ledger.server";
import { isLastAttempt, type Attempt } from "./attempts";
import type { SendEmailsPayload } from "./send-emails";

/**
 * Sends ledger rows. A transient provider failure is retried with backoff (those rows are back to
 * pending, the others settled); after the last attempt they are marked failed, visibly, with the
 * provider's answer.
 */
export async function run(
  { shopId, sendIds }: SendEmailsPayload,
  attempt: Attempt,
  deps: { transport: MailTransport } = { transport: mailTransport() },
): Promise<Record<string, number>> {
  const { outcomes, retry } = await deliverSends(shopId, sendIds.map(BigInt), { transport: deps.transport });
  if (retry) {
    if (isLastAttempt(attempt)) for (const sendId of sendIds) await markSendFailed(shopId, BigInt(sendId), retry.message);
    throw retry;
  }
  const counts: Record<string, number> = {};
  for (const outcome of outcomes.values()) counts[outcome.status] = (counts[outcome.status] ?? 0) + 1;
  return counts;
}
