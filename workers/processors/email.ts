import { UnrecoverableError } from "bullmq";
import prisma from "../../app/db.server";
import { deliverSend, deliverSends, type DeliveryOutcome } from "../../app/models/email-delivery.server";
import { markSendFailed } from "../../app/models/send-ledger.server";
import type { AdminQuery } from "../../app/models/shopify-admin.server";
import { withoutAddresses, type MailTransport } from "../../app/email/transport.server";
import type { JobPayload } from "../queues";
import type { Attempt } from "./webhook-event";

/**
 * Sends ledger rows. A transient provider failure is retried with backoff (those rows are back to
 * pending, the others settled); after the last attempt they are marked failed, visibly, with the
 * provider's answer.
 */
export async function sendEmailJob(
  { shopId, sendId }: JobPayload<"sendEmail">,
  deps: { transport: MailTransport },
  attempt: Attempt,
): Promise<DeliveryOutcome> {
  try {
    return await deliverSend(shopId, BigInt(sendId), { transport: deps.transport });
  } catch (error) {
    if (isLastAttempt(attempt)) await markSendFailed(shopId, BigInt(sendId), (error as Error).message);
    throw error;
  }
}

export async function sendEmailsJob(
  { shopId, sendIds }: JobPayload<"sendEmails">,
  deps: { transport: MailTransport },
  attempt: Attempt,
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

const isLastAttempt = (attempt: Attempt) => attempt.attemptsMade + 1 >= (attempt.opts.attempts ?? 1);

const UNSUBSCRIBE = `#graphql
  mutation ReportUnsubscribe($input: CustomerEmailMarketingConsentUpdateInput!) {
    customerEmailMarketingConsentUpdate(input: $input) {
      customer { id }
      userErrors { field message code }
    }
  }`;

/** Tells Shopify the customer unsubscribed (Shopify's API terms require it), at the time they did. */
export async function syncUnsubscribeJob(
  { shopId, customerId }: JobPayload<"syncUnsubscribe">,
  deps: { admin: AdminQuery },
): Promise<string> {
  const pending = await prisma.consentUpdate.findFirst({
    where: { shopId, customerId: BigInt(customerId), appliedAt: null, failedAt: null },
    include: { shop: { select: { domain: true, uninstalledAt: true } } },
  });
  if (!pending) return "nothing to report";
  if (pending.shop.uninstalledAt) return "shop uninstalled";
  const result = await deps.admin(pending.shop.domain, UNSUBSCRIBE, {
    input: {
      customerId: `gid://shopify/Customer/${customerId}`,
      emailMarketingConsent: { marketingState: "UNSUBSCRIBED", consentUpdatedAt: pending.requestedAt.toISOString() },
    },
  });
  const { customer, userErrors } = result.customerEmailMarketingConsentUpdate ?? { customer: null, userErrors: [] };
  // A customer Shopify no longer has cannot be updated, and needs not be.
  const gone = !customer && userErrors.some((error) => error.field?.includes("customerId"));
  if (userErrors.length > 0 && !gone) {
    // Kept, visibly, instead of being asked again by every sweep.
    const reason = `Shopify refused the consent update: ${userErrors.map((error) => error.message).join("; ")}`;
    await prisma.consentUpdate.updateMany({
      where: { shopId, customerId: BigInt(customerId), requestedAt: pending.requestedAt },
      data: { failedAt: new Date(), error: withoutAddresses(reason).slice(0, 1000) },
    });
    throw new UnrecoverableError(reason);
  }
  await prisma.consentUpdate.updateMany({
    where: { shopId, customerId: BigInt(customerId), requestedAt: pending.requestedAt },
    data: { appliedAt: new Date() },
  });
  return gone ? "customer gone" : "reported";
}
