import { UnrecoverableError } from "bullmq";
import prisma from "../db.server";
import { withoutAddresses } from "../email/transport.server";
import { adminQuery, type AdminQuery } from "../models/shopify-admin.server";
import type { Attempt } from "./attempts";
import type { SyncUnsubscribePayload } from "./sync-unsubscribe";

const UNSUBSCRIBE = `#graphql
  mutation ReportUnsubscribe($input: CustomerEmailMarketingConsentUpdateInput!) {
    customerEmailMarketingConsentUpdate(input: $input) {
      customer { id }
      userErrors { field message code }
    }
  }`;

/** Tells Shopify the customer unsubscribed (Shopify's API terms require it), at the time they did. */
export async function run(
  { shopId, customerId }: SyncUnsubscribePayload,
  _attempt?: Attempt,
  deps: { admin: AdminQuery } = { admin: adminQuery },
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
