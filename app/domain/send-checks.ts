/**
 * What is re-checked immediately before an e-mail goes out (the enrollment may be days old):
 * a reason not to send, or null. A test send goes to the merchant, so the customer's consent
 * does not apply to it; the shop's own requirements do.
 */
export interface SendFacts {
  test: boolean;
  shopInstalled: boolean;
  /** Parts of the postal address the footer still needs (CAN-SPAM). */
  missingAddressParts: string[];
  fromAddress: string | null;
  customer: { email: string | null; consent: string | null; suppressed: boolean } | null;
  /** The address is on the shop's suppression list (unsubscribed, bounced, complained). */
  addressSuppressed: boolean;
  /** A campaign's e-mail: the customer is still in its sequence and the campaign is Live. */
  sequenceOpen: boolean;
}

export function sendBlocker(facts: SendFacts): string | null {
  if (!facts.shopInstalled) return "the app is not installed on the shop";
  if (!facts.fromAddress) return "no sender address is configured (EMAIL_FROM_ADDRESS)";
  if (facts.missingAddressParts.length > 0) return `the shop's postal address lacks ${facts.missingAddressParts.join(", ")}`;
  if (facts.test) return null;
  if (!facts.customer) return "the customer no longer exists";
  if (!facts.customer.email) return "the customer has no e-mail address";
  if (facts.customer.consent !== "SUBSCRIBED")
    return `the customer is not subscribed to e-mail marketing (${facts.customer.consent ?? "unknown"})`;
  if (facts.customer.suppressed || facts.addressSuppressed) return "the address is suppressed (unsubscribed, bounced or complained)";
  if (!facts.sequenceOpen) return "the customer left the sequence (ordered, exited) or the campaign is not Live";
  return null;
}
