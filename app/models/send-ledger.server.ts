import type { Prisma } from "@prisma/client";
import prisma, { execute, queryRows, type Db } from "../db.server";
import { emailOfferSchema, type EmailOffer } from "../email/render";

/**
 * The send ledger (`email_sends`): every e-mail is a row first, and each row is sent at most once.
 *
 *   pending → sending → sent | failed | interrupted      (blocked: a re-check said no)
 *
 * Rows move to `sending` in one conditional update right before the provider is called (the
 * claim). A transient provider failure moves a row back to `pending` (the job retries); a
 * connection that breaks mid-session, or a worker that dies after the provider was called, leaves
 * it `interrupted` (by the next attempt, or the sweep) instead of sending a second e-mail.
 * The delivery pipeline that moves rows along is app/models/email-delivery.server.ts.
 */

export type SendStatus = "pending" | "sending" | "sent" | "failed" | "blocked" | "interrupted";

export interface NewSend {
  customerId: bigint;
  templateId: number;
  campaign: string;
  step: number;
  offer?: EmailOffer | null;
  /** Send a preview with this customer's data to this address instead (the merchant's test). */
  testRecipient?: string;
}

/**
 * A row of the ledger, to be sent now: the maintenance sweep sends any row still pending two
 * minutes later. The caller makes a send unique (the engine: one per enrollment and step).
 */
export async function createSend(shopId: number, send: NewSend): Promise<bigint> {
  const row = await prisma.emailSend.create({
    data: {
      shopId,
      customerId: send.customerId,
      templateId: send.templateId,
      campaign: send.campaign,
      step: send.step,
      offer: send.offer ? (emailOfferSchema.parse(send.offer) as Prisma.InputJsonValue) : undefined,
      testRecipient: send.testRecipient,
    },
  });
  return row.id;
}

/** A send as the delivery re-checks it: the row, its customer as they are now, and whether its sequence is still open. */
export interface SendToDeliver {
  id: string;
  customerId: string;
  templateId: number;
  campaign: string;
  step: number;
  offer: unknown;
  testRecipient: string | null;
  status: SendStatus;
  messageId: string | null;
  error: string | null;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  locale: string | null;
  emailMarketingState: string | null;
  suppressedAt: Date | null;
  lastOrderAt: Date | null;
  customerExists: boolean;
  /** Not part of an enrollment, or its enrollment still open and its campaign Live. */
  sequenceOpen: boolean;
}

/** SQL: the send aliased `send` is no campaign's, or its enrollment is still open in a Live campaign. */
const sequenceOpen = (send: string) => `(${send}.enrollment_id IS NULL OR EXISTS (
    SELECT 1 FROM enrollments e JOIN campaigns ca ON ca.shop_id = e.shop_id AND ca.id = e.campaign_id
    WHERE e.shop_id = ${send}.shop_id AND e.id = ${send}.enrollment_id AND e.status = 'active' AND e.exit_reason IS NULL AND ca.status = 'live'))`;

export async function sendsToDeliver(shopId: number, sendIds: bigint[], deps: { db?: Db } = {}): Promise<SendToDeliver[]> {
  return queryRows<SendToDeliver>(
    `SELECT s.id, s.customer_id, s.template_id, s.campaign, s.step, s.offer, s.test_recipient, s.status, s.message_id, s.error,
            c.email, c.first_name, c.last_name, c.locale, c.email_marketing_state, c.suppressed_at, c.last_order_at,
            c.id IS NOT NULL AS customer_exists,
            ${sequenceOpen("s")} AS sequence_open
     FROM email_sends s
     LEFT JOIN customers c ON c.shop_id = s.shop_id AND c.id = s.customer_id
     WHERE s.shop_id = $1 AND s.id = ANY($2::bigint[])`,
    [shopId, sendIds.map(String)],
    deps.db,
  );
}

/** A send moved from `from` to a status that is not `sent`, with why. */
export interface SendFinish {
  sendId: bigint;
  from: "pending" | "sending";
  status: Exclude<SendStatus, "sending" | "sent">;
  error: string | null;
}

/** Records these outcomes in one statement; a row no longer in its `from` status is left as it is. */
export async function finishSends(shopId: number, finishes: SendFinish[], deps: { db?: Db } = {}): Promise<void> {
  if (finishes.length === 0) return;
  await execute(
    `UPDATE email_sends s SET status = f.status, error = f.error
     FROM jsonb_to_recordset($2::jsonb) AS f(id bigint, from_status text, status text, error text)
     WHERE s.shop_id = $1 AND s.id = f.id AND s.status = f.from_status`,
    [shopId, JSON.stringify(finishes.map(({ sendId, from, status, error }) => ({ id: String(sendId), from_status: from, status, error })))],
    deps.db,
  );
}

/** What a claim records on the row: the rendered links (a click token carries the index) and the Message-ID. */
export interface SendClaim {
  sendId: bigint;
  links: string[];
  messageId: string;
}

/**
 * pending → sending for every send whose customer may still be written to; returns those claimed.
 * Only one attempt gets past this for a send. Consent is checked once more in the same statement:
 * an unsubscribe may have landed while the e-mails rendered.
 */
export async function claimSends(shopId: number, claims: SendClaim[], deps: { db?: Db } = {}): Promise<Set<bigint>> {
  if (claims.length === 0) return new Set();
  const rows = await queryRows<{ id: string }>(
    `UPDATE email_sends s SET status = 'sending', attempts = attempts + 1, sending_at = now(), links = claim.links, message_id = claim.message_id, error = NULL
     FROM jsonb_to_recordset($2::jsonb) AS claim(id bigint, links text[], message_id text)
     WHERE s.shop_id = $1 AND s.id = claim.id AND s.status = 'pending'
       AND (s.test_recipient IS NOT NULL OR EXISTS (
         SELECT 1 FROM customers c
         WHERE c.shop_id = $1 AND c.id = s.customer_id AND c.email_marketing_state = 'SUBSCRIBED' AND c.suppressed_at IS NULL))
       AND ${sequenceOpen("s")}
     RETURNING s.id`,
    [shopId, JSON.stringify(claims.map(({ sendId, links, messageId }) => ({ id: String(sendId), links, message_id: messageId })))],
    deps.db,
  );
  return new Set(rows.map((row) => BigInt(row.id)));
}

/** One statement, one commit: the rows are sent and, unless they were tests, their customers contacted. */
export async function markSent(shopId: number, sendIds: bigint[], deps: { db?: Db } = {}): Promise<void> {
  if (sendIds.length === 0) return;
  await execute(
    `WITH sent AS (
       UPDATE email_sends SET status = 'sent', sent_at = now() WHERE shop_id = $1 AND id = ANY($2::bigint[]) AND status = 'sending'
       RETURNING customer_id, test_recipient
     )
     UPDATE customers c SET last_contacted_at = now(), updated_at = now()
     FROM sent WHERE sent.test_recipient IS NULL AND c.shop_id = $1 AND c.id = sent.customer_id`,
    [shopId, sendIds.map(String)],
    deps.db,
  );
}

/** After the job's last attempt: the send stays visible as failed, with the provider's answer. */
export async function markSendFailed(shopId: number, sendId: bigint, reason: string, deps: { db?: Db } = {}): Promise<void> {
  await execute(
    "UPDATE email_sends SET status = 'failed', error = $3 WHERE shop_id = $1 AND id = $2 AND status = 'pending'",
    [shopId, String(sendId), reason.slice(0, 500)],
    deps.db,
  );
}

/**
 * Pending sends of a redacted customer are never sent (their data is gone), and no provider
 * answer about them is kept (it may quote their address).
 */
export async function blockSendsOfCustomer(shopId: number, customerId: number, deps: { db?: Db } = {}): Promise<void> {
  await execute(
    `UPDATE email_sends SET status = CASE WHEN status = 'pending' THEN 'blocked' ELSE status END,
       error = CASE WHEN status = 'pending' THEN 'the customer was redacted' END
     WHERE shop_id = $1 AND customer_id = $2`,
    [shopId, customerId],
    deps.db,
  );
}

export const ABANDONED_SEND_ERROR = "the worker stopped while handing the e-mail to the provider; not sent again";

/** Sends handed to the provider longer ago than any SMTP timeout: the worker is gone; they are not sent again. */
export async function interruptAbandonedSends(olderThanMs: number): Promise<number> {
  return execute(
    `UPDATE email_sends SET status = 'interrupted', error = $2
     WHERE status = 'sending' AND sending_at < now() - make_interval(secs => $1 / 1000.0)`,
    [olderThanMs, ABANDONED_SEND_ERROR],
  );
}

/** Sends of installed shops still pending this long after they were created (their job was probably lost), oldest first. */
export async function stalePendingSends(
  olderThanMs: number,
  limit: number,
  deps: { now?: Date } = {},
): Promise<{ shopId: number; sendId: bigint }[]> {
  const rows = await queryRows<{ shopId: number; id: string }>(
    `SELECT s.shop_id, s.id FROM email_sends s JOIN shops sh ON sh.id = s.shop_id
     WHERE s.status = 'pending' AND s.created_at < $1 AND sh.uninstalled_at IS NULL
     ORDER BY s.created_at
     LIMIT $2`,
    [new Date((deps.now ?? new Date()).getTime() - olderThanMs), limit],
  );
  return rows.map((row) => ({ shopId: row.shopId, sendId: BigInt(row.id) }));
}
