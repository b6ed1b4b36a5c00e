import { execute } from "../db.server";
import { FLOW_RECORD_WINDOW_DAYS } from "./flow-triggers.server";
import { MARKETING_REPORT_WINDOW_DAYS } from "./marketing.server";

/**
 * Retention of the rows that only record work done, so that tables stay bounded while what the
 * results need stays (enrollments, sends with their status and times, orders). Each purge is
 * bounded per run; the hourly job runs again until nothing is left.
 *
 * - Flow events fired (or given up, or cancelled), once older than the recording window: a
 *   transition that old is never recorded again, so it cannot fire twice.
 * - Shopify Marketing's day claims, once older than the reporting window (same reason).
 * - Unsubscribes reported to Shopify: applied ones after 30 days, refused ones (shown to the
 *   merchant) after 90. A later unsubscribe of the same customer makes a new row.
 * - The provider's answer kept on a failed, blocked or interrupted send, after 30 days: the
 *   status and times stay for the results.
 */
export const RETENTION_DAYS = {
  flowEvents: FLOW_RECORD_WINDOW_DAYS + 1,
  marketingClaims: MARKETING_REPORT_WINDOW_DAYS + 10,
  appliedConsentUpdates: 30,
  refusedConsentUpdates: 90,
  providerAnswers: 30,
};

/** Rows purged (or answers cleared) per table in one run. */
export const PURGE_BATCH = 10_000;

export interface Purged {
  flowEvents: number;
  marketingClaims: number;
  consentUpdates: number;
  providerAnswers: number;
}

export async function purgeFinishedRecords({ now = new Date() }: { now?: Date } = {}): Promise<Purged> {
  const before = (days: number) => new Date(now.getTime() - days * 86_400_000);
  const flowEvents = await execute(
    `DELETE FROM flow_events WHERE ctid IN (
       SELECT ctid FROM flow_events WHERE status IN ('sent', 'failed', 'cancelled') AND created_at < $1 LIMIT $2)`,
    [before(RETENTION_DAYS.flowEvents), PURGE_BATCH],
  );
  const marketingClaims = await execute(
    `DELETE FROM marketing_engagements WHERE ctid IN (
       SELECT ctid FROM marketing_engagements WHERE status <> 'sending' AND day < $1::date LIMIT $2)`,
    [before(RETENTION_DAYS.marketingClaims), PURGE_BATCH],
  );
  const consentUpdates = await execute(
    `DELETE FROM consent_updates WHERE ctid IN (
       SELECT ctid FROM consent_updates WHERE applied_at < $1 OR failed_at < $2 LIMIT $3)`,
    [before(RETENTION_DAYS.appliedConsentUpdates), before(RETENTION_DAYS.refusedConsentUpdates), PURGE_BATCH],
  );
  const providerAnswers = await execute(
    `UPDATE email_sends SET error = NULL WHERE ctid IN (
       SELECT ctid FROM email_sends
       WHERE status IN ('failed', 'blocked', 'interrupted') AND created_at < $1 AND error IS NOT NULL LIMIT $2)`,
    [before(RETENTION_DAYS.providerAnswers), PURGE_BATCH],
  );
  return { flowEvents, marketingClaims, consentUpdates, providerAnswers };
}
