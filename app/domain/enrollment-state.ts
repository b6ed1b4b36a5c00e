/**
 * An enrollment's state in the merchant's words (results list and export). Exit reasons are
 * written by the engine: a fixed word, or a word and a detail ("margin_floor: …", "blocked: …").
 */

const EXIT_REASONS: Record<string, string> = {
  ordered_on_their_own: "Ordered on their own",
  unsubscribed: "Unsubscribed",
  checkout_started: "Started a checkout",
  customer_deleted: "Customer deleted in Shopify",
  redacted: "Data erased on request",
  campaign_deleted: "Campaign deleted",
  margin_floor: "Offer withheld by the margin floor",
  blocked: "E-mail could not be sent",
};

export function exitReasonLabel(reason: string | null): string | null {
  if (reason === null) return null;
  const [word, ...detail] = reason.split(": ");
  const label = EXIT_REASONS[word!] ?? word!.replaceAll("_", " ");
  return detail.length > 0 ? `${label} (${detail.join(": ")})` : label;
}

export function enrollmentStateLabel(status: string, holdout: boolean, lastStepSent: number): string {
  switch (status) {
    case "active":
      return holdout ? "Holdout, followed" : lastStepSent === 0 ? "Waiting for step 1" : `Received step ${lastStepSent}`;
    case "converted":
      return holdout ? "Ordered (holdout)" : "Converted";
    case "completed":
      return "Completed the sequence";
    case "exited":
      return "Left";
    default:
      return status;
  }
}
