import type { Prisma } from "@prisma/client";
import prisma, { execute, queryRows, type Db } from "../db.server";
import { emailOfferSchema, type EmailOffer } from "../email/render";
import { ownerAlive } from "./send-owner.server";

/**
 * The send ledger (`email_sends`): every e-mail is a row first, and each row is sent at most once.
 *
 *   pending → sending → sent | failed | interrupted      (blocked: a re-check said no)
 *
 * A row moves to `sending` in one conditional update right before its message is handed to the
 * provider (the claim), one message at a time per SMTP connection. The claim carries its owner:
 * the worker process (`claim_owner`, app/models/send-owner.server.ts: alive while its advisory
 * lock is held) and the delivery attempt (`claim_token`). Only the owner settles its claim: sent,
 * failed, or back to `pending` after a transient refusal (each matching its token); a connection
 * that breaks mid-session leaves it `interrupted`. Anyone else who finds the row `sending` leaves
 * it alone while its owner lives; once the owner is gone (or the claim is older than any SMTP
 * timeout, CLAIM_ABANDONED_AFTER_MS) the row is `interrupted`, never sent again: the provider may
 * have it, and a second copy is worse than a missing one. An owner that proves to be alive after
 * all (its lock's connection was lost, not the process) still records what it sent.
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
  /** The delivery attempt holding a `sending` row, and whether it may still be at work (its owner alive, the claim not abandoned). */
  claimToken: string | null;
  claimLive: boolean;
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

/**
 * A claim older than this is abandoned whoever holds it: longer than any SMTP timeout of a message
 * in flight (nodemailer's longest is 10 minutes; a claim is made only when a connection is free).
 */
export const CLAIM_ABANDONED_AFTER_MS = 30 * 60 * 1000;

/**
 * SQL: the `sending` row aliased `send` may still be handed over by its owner. A row claimed
 * without an owner (before owners were recorded) may be, until the claim is abandoned.
 */
const claimLive = (send: string) => `(${send}.status = 'sending' AND ${send}.sending_at IS NOT NULL
    AND ${send}.sending_at >= now() - make_interval(secs => ${CLAIM_ABANDONED_AFTER_MS / 1000})
    AND (${send}.claim_owner IS NULL OR ${ownerAlive(`${send}.claim_owner`)}))`;

export async function sendsToDeliver(shopId: number, sendIds: bigint[], deps: { db?: Db } = {}): Promise<SendToDeliver[]> {
  return queryRows<SendToDeliver>(
    `SELECT s.id, s.customer_id, s.template_id, s.campaign, s.step, s.offer, s.test_recipient, s.status, s.message_id, s.error,
            s.claim_token, ${claimLive("s")} AS claim_live,
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

/**
 * A send moved from `from` to a status that is not `sent`, with why. From `sending` it names the
 * claim it settles (`claimToken`, null for a claim without one): the owner's outcome stands even
 * over an `interrupted` that was decided while it was presumed gone.
 */
export type SendFinish = {
  sendId: bigint;
  status: Exclude<SendStatus, "sending" | "sent">;
  error: string | null;
} & ({ from: "pending" } | { from: "sending"; claimToken: string | null });

/*
 * The statements below must reach their rows by primary key whatever the statistics say. A table
 * that grew since it was last analyzed (a campaign's sends written a moment ago) looks as if the
 * shop had a handful of pending rows, and the planner then scanned every one of them, with the
 * consent and sequence checks, for a claim of one: 10 ms a claim, the send pipeline's largest
 * cost. So the rows come as parallel arrays through unnest() (sized exactly, where a JSON
 * recordset counts as 100 rows), and the checks that read other tables run on rows already found.
 */

/** Records these outcomes in one statement; a row no longer in its `from` status (or claimed by another attempt) is left as it is. */
export async function finishSends(shopId: number, finishes: SendFinish[], deps: { db?: Db } = {}): Promise<void> {
  if (finishes.length === 0) return;
  await execute(
    `UPDATE email_sends s SET status = f.status, error = f.error
     FROM unnest($2::bigint[], $3::text[], $4::uuid[], $5::text[], $6::text[]) AS f(id, from_status, claim_token, status, error)
     WHERE s.id = f.id AND s.shop_id = $1
       AND CASE WHEN f.from_status = 'pending' THEN s.status = 'pending'
                ELSE s.status IN ('sending', 'interrupted') AND s.claim_token IS NOT DISTINCT FROM f.claim_token END`,
    [
      shopId,
      finishes.map(({ sendId }) => String(sendId)),
      finishes.map(({ from }) => from),
      finishes.map((finish) => (finish.from === "sending" ? finish.claimToken : null)),
      finishes.map(({ status }) => status),
      finishes.map(({ error }) => error),
    ],
    deps.db,
  );
}

/** Who claims: this process (`sendOwner()`) and this delivery attempt (a random UUID). */
export interface ClaimOwner {
  owner: number;
  token: string;
}

/** What a claim records on the row: the rendered links (a click token carries the index) and the Message-ID. */
export interface SendClaim {
  sendId: bigint;
  links: string[];
  messageId: string;
}

/**
 * One statement, one commit, for a delivery attempt's ledger writes: the sends it handed over are
 * `sent` (and, unless they were tests, their customers contacted; also a row the sweep presumed
 * abandoned: its owner knows better), and the next ones are claimed, pending → sending, for every
 * send whose customer may still be written to. Returns the ids claimed. Only one attempt gets past
 * the claim for a send (a repeat of this attempt's own claim gets it again), and only while its
 * owner's lock is held. Consent is checked once more in the same statement: an unsubscribe may
 * have landed while the e-mail rendered. A connection that takes its next message records the
 * last one in the same round trip.
 */
export async function recordSentAndClaim(
  shopId: number,
  by: ClaimOwner,
  writes: { sent: bigint[]; claims: SendClaim[] },
  deps: { db?: Db } = {},
): Promise<Set<bigint>> {
  if (writes.sent.length === 0 && writes.claims.length === 0) return new Set();
  const rows = await queryRows<{ id: string }>(
    `WITH sent AS (
       UPDATE email_sends SET status = 'sent', sent_at = now(), error = NULL
       WHERE shop_id = $1 AND id = ANY($2::bigint[]) AND claim_token = $5::uuid AND status IN ('sending', 'interrupted')
       RETURNING customer_id, test_recipient
     ), contacted AS (
       UPDATE customers c SET last_contacted_at = now(), updated_at = now()
       FROM sent WHERE sent.test_recipient IS NULL AND c.shop_id = $1 AND c.id = sent.customer_id
     ), eligible AS MATERIALIZED (
       -- The checks that read other tables, on rows found by primary key alone (see above).
       SELECT claim.id, claim.links_json, claim.message_id
       FROM unnest($3::bigint[], $6::jsonb[], $7::text[]) AS claim(id, links_json, message_id)
       JOIN email_sends found ON found.shop_id = $1 AND found.id = claim.id
       WHERE (found.test_recipient IS NOT NULL OR EXISTS (
           SELECT 1 FROM customers c
           WHERE c.shop_id = $1 AND c.id = found.customer_id AND c.email_marketing_state = 'SUBSCRIBED' AND c.suppressed_at IS NULL))
         AND ${sequenceOpen("found")}
         AND ${ownerAlive("$4::int")}
     )
     UPDATE email_sends s SET status = 'sending', attempts = attempts + 1, sending_at = now(), message_id = eligible.message_id,
       links = ARRAY(SELECT link FROM jsonb_array_elements_text(eligible.links_json) WITH ORDINALITY AS l(link, n) ORDER BY n),
       error = NULL, claim_owner = $4::int, claim_token = $5::uuid
     FROM eligible
     WHERE s.id = eligible.id AND s.shop_id = $1 AND (s.status = 'pending' OR (s.status = 'sending' AND s.claim_token = $5::uuid))
     RETURNING s.id`,
    [
      shopId,
      writes.sent.map(String),
      writes.claims.map(({ sendId }) => String(sendId)),
      by.owner,
      by.token,
      writes.claims.map(({ links }) => JSON.stringify(links)),
      writes.claims.map(({ messageId }) => messageId),
    ],
    deps.db,
  );
  return new Set(rows.map((row) => BigInt(row.id)));
}

/** Claims alone (`recordSentAndClaim`). */
export function claimSends(shopId: number, by: ClaimOwner, claims: SendClaim[], deps: { db?: Db } = {}): Promise<Set<bigint>> {
  return recordSentAndClaim(shopId, by, { sent: [], claims }, deps);
}

/** Sent alone (`recordSentAndClaim`): what this attempt handed over. */
export async function markSent(shopId: number, by: ClaimOwner, sendIds: bigint[], deps: { db?: Db } = {}): Promise<void> {
  await recordSentAndClaim(shopId, by, { sent: sendIds, claims: [] }, deps);
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

/**
 * `sending` rows whose owner is gone (its process died: its lock is free) or whose claim is older
 * than any SMTP timeout: the provider may have them, so they are not sent again. A live owner's
 * rows are left to it.
 */
export async function interruptAbandonedSends(): Promise<number> {
  return execute(
    `UPDATE email_sends s SET status = 'interrupted', error = $1
     WHERE s.status = 'sending' AND NOT ${claimLive("s")}`,
    [ABANDONED_SEND_ERROR],
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
