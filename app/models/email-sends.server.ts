import type { Prisma } from "@prisma/client";
import prisma, { pool } from "../db.server";
import { createLinkToken, linkKeyFrom, type LinkKind } from "../domain/link-tokens";
import { sendBlocker, type SendFacts } from "../domain/send-checks";
import { formatPostalAddress, missingAddressParts, postalAddressSchema } from "../domain/shop-details";
import { emailOfferSchema, renderEmail, type EmailOffer, type EmailProduct, type EmailShop } from "../email/render";
import type { CompiledContent } from "../email/template";
import { emailSettingsOf } from "../email/settings";
import { DeliveryError, withoutAddresses, type MailTransport, type OutgoingMail } from "../email/transport.server";
import { env } from "../env.server";
import { compiledTemplate } from "./email-templates.server";
import { lastOrderProducts, recommendProductsFor, type Recommendation } from "./recommendations.server";
import { suppressAddress, suppressedAmong } from "./suppressions.server";

/**
 * The send functions the win-back engine calls: rows of the send ledger (`email_sends`) are
 * re-checked, rendered and handed to the mail provider, each at most once.
 *
 *   pending → sending → sent | failed | interrupted      (blocked: a re-check said no)
 *
 * Rows move to `sending` in one conditional update right before the provider is called. A
 * transient provider failure moves a row back to `pending` (the job retries); a connection that
 * breaks mid-session, or a worker that dies after the provider was called, leaves it
 * `interrupted` (by the next attempt, or the sweep) instead of sending a second e-mail.
 */

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

export type DeliveryOutcome =
  { status: "sent"; messageId: string } | { status: "blocked" | "failed"; reason: string } | { status: "interrupted" };

const linkKey = linkKeyFrom(env.SHOPIFY_API_SECRET);

/** The shop columns an e-mail needs, as `shops` rows hold them. */
export interface EmailShopRow {
  shop_domain: string;
  shop_name: string | null;
  primary_domain_url: string | null;
  currency_code: string | null;
  iana_timezone: string | null;
  postal_address: unknown;
  settings: unknown;
}

export const EMAIL_SHOP_COLUMNS = `sh.domain AS shop_domain, sh.name AS shop_name, sh.primary_domain_url, sh.currency_code, sh.iana_timezone,
         sh.postal_address, sh.settings`;

/** The shop as its e-mails show it (an incomplete postal address prints as far as it goes; sends are blocked before that). */
export function emailShopOf(row: EmailShopRow): EmailShop {
  const settings = emailSettingsOf(row.settings);
  const address = postalAddressSchema.nullable().safeParse(row.postal_address ?? null);
  return {
    name: row.shop_name ?? row.shop_domain,
    url: (row.primary_domain_url ?? `https://${row.shop_domain}`).replace(/\/$/, ""),
    currencyCode: row.currency_code ?? "USD",
    timezone: row.iana_timezone ?? "UTC",
    postalAddress: address.success && address.data ? formatPostalAddress(address.data) : "",
    logoUrl: settings.logoUrl ?? null,
    accentColor: settings.accentColor,
  };
}

interface SendRow extends EmailShopRow {
  id: string;
  customer_id: string;
  template_id: number;
  campaign: string;
  step: number;
  offer: unknown;
  test_recipient: string | null;
  status: string;
  message_id: string | null;
  error: string | null;
  contact_email: string | null;
  uninstalled_at: Date | null;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  locale: string | null;
  email_marketing_state: string | null;
  suppressed_at: Date | null;
  last_order_at: Date | null;
  customer_exists: boolean;
  /** Not part of an enrollment, or its enrollment still open and its campaign Live. */
  sequence_open: boolean;
}

/** A send of `s` that is no campaign's, or whose enrollment is still open in a Live campaign. */
const SEQUENCE_OPEN = `(s.enrollment_id IS NULL OR EXISTS (
    SELECT 1 FROM enrollments e JOIN campaigns ca ON ca.id = e.campaign_id
    WHERE e.id = s.enrollment_id AND e.status = 'active' AND e.exit_reason IS NULL AND ca.status = 'live'))`;

const LOAD = `
  SELECT s.id, s.customer_id, s.template_id, s.campaign, s.step, s.offer, s.test_recipient, s.status, s.message_id, s.error,
         ${EMAIL_SHOP_COLUMNS}, sh.contact_email, sh.uninstalled_at,
         c.email, c.first_name, c.last_name, c.locale, c.email_marketing_state, c.suppressed_at, c.last_order_at,
         c.id IS NOT NULL AS customer_exists,
         ${SEQUENCE_OPEN} AS sequence_open
  FROM email_sends s
  JOIN shops sh ON sh.id = s.shop_id
  LEFT JOIN customers c ON c.shop_id = s.shop_id AND c.id = s.customer_id
  WHERE s.shop_id = $1 AND s.id = ANY($2::bigint[])`;

async function loadSends(shopId: number, sendIds: bigint[]): Promise<SendRow[]> {
  return (await pool.query<SendRow>({ name: "email-send-load", text: LOAD, values: [shopId, sendIds.map(String)] })).rows;
}

async function finish(shopId: number, sendId: bigint, from: string, status: string, error: string | null): Promise<void> {
  await pool.query("UPDATE email_sends SET status = $4, error = $5 WHERE shop_id = $1 AND id = $2 AND status = $3", [
    shopId,
    String(sendId),
    from,
    status,
    error,
  ]);
}

/** Where a recorded outcome leaves a send that is not pending (a repeated job, or a crash after the provider call). */
async function settledOutcome(
  shopId: number,
  sendId: bigint,
  row: Pick<SendRow, "status" | "message_id" | "error">,
): Promise<DeliveryOutcome> {
  switch (row.status) {
    case "sent":
      return { status: "sent", messageId: row.message_id! };
    case "blocked":
    case "failed":
      return { status: row.status, reason: row.error ?? row.status };
    case "sending":
      // The provider may have accepted it: sending again could deliver twice.
      await finish(shopId, sendId, "sending", "interrupted", "the worker stopped while handing the e-mail to the provider; not sent again");
      return { status: "interrupted" };
    default:
      return { status: "interrupted" };
  }
}

function messageIdFor(shopId: number, sendId: bigint, fromAddress: string): string {
  return `<wb-${shopId}-${sendId}@${fromAddress.split("@")[1]}>`;
}

function linkUrl(
  kind: LinkKind,
  path: string,
  token: { shopId: number; sendId: bigint; customerId: bigint; link?: number },
  at: Date,
): string {
  return `${env.SHOPIFY_APP_URL.replace(/\/$/, "")}/${path}/${createLinkToken(linkKey, { kind, ...token }, at)}`;
}

/** Unsubscribe link of a send (also the List-Unsubscribe header). */
export function unsubscribeUrl(shopId: number, sendId: bigint, customerId: bigint, at: Date): string {
  return linkUrl("u", "u", { shopId, sendId, customerId }, at);
}

export const toEmailProduct = (product: { title: string; handle: string; imageUrl: string | null; price: string }): EmailProduct => ({
  title: product.title,
  handle: product.handle,
  imageUrl: product.imageUrl,
  price: product.price,
});

/** A pending send that passed the checks that need no further query. */
interface Candidate {
  row: SendRow;
  sendId: bigint;
  customerId: bigint;
  test: boolean;
  facts: SendFacts;
  compiled: CompiledContent;
  offer: EmailOffer | null;
}

/** A rendered send, ready to be claimed and handed over. */
interface Ready {
  candidate: Candidate;
  mail: OutgoingMail;
  links: string[];
}

export async function deliverSend(
  shopId: number,
  sendId: bigint,
  transport: MailTransport,
  now: Date = new Date(),
): Promise<DeliveryOutcome> {
  const { outcomes, retry } = await deliverSends(shopId, [sendId], transport, now);
  if (retry) throw retry;
  return outcomes.get(sendId) ?? { status: "failed", reason: "no such send" };
}

/**
 * Delivers several sends of one shop: one query loads them, one reads the suppression list, one
 * picks everyone's products, one claims them, then each is handed to the provider (the SMTP pool
 * sends them side by side) and marked sent as soon as it was accepted. `retry` is set when a
 * provider refused some for now: those are pending again, the others are settled.
 */
export async function deliverSends(
  shopId: number,
  sendIds: bigint[],
  transport: MailTransport,
  now: Date = new Date(),
): Promise<{ outcomes: Map<bigint, DeliveryOutcome>; retry: DeliveryError | null }> {
  const outcomes = new Map<bigint, DeliveryOutcome>();
  const settle = async (
    sendId: bigint,
    from: string,
    outcome: Exclude<DeliveryOutcome, { status: "sent" }>,
    error: string | null = null,
  ) => {
    await finish(shopId, sendId, from, outcome.status, "reason" in outcome ? outcome.reason : error);
    outcomes.set(sendId, outcome);
  };

  // 1. Checks that need nothing more than the row.
  const candidates: Candidate[] = [];
  for (const row of await loadSends(shopId, sendIds)) {
    const sendId = BigInt(row.id);
    if (row.status !== "pending") {
      outcomes.set(sendId, await settledOutcome(shopId, sendId, row));
      continue;
    }
    const test = row.test_recipient !== null;
    const facts: SendFacts = {
      test,
      shopInstalled: row.uninstalled_at === null,
      missingAddressParts: missingAddressParts(postalAddressSchema.nullable().catch(null).parse(row.postal_address)),
      fromAddress: env.EMAIL_FROM_ADDRESS ?? null,
      customer: row.customer_exists
        ? { email: row.email, consent: row.email_marketing_state, suppressed: row.suppressed_at !== null }
        : null,
      addressSuppressed: false,
      sequenceOpen: row.sequence_open,
    };
    const blocker = sendBlocker(facts);
    if (blocker) {
      await settle(sendId, "pending", { status: "blocked", reason: blocker });
      continue;
    }
    const compiled = await compiledTemplate(shopId, row.template_id);
    const offer = row.offer === null ? null : emailOfferSchema.safeParse(row.offer);
    if (!compiled || (offer && !offer.success)) {
      await settle(sendId, "pending", { status: "failed", reason: compiled ? "the offer is malformed" : "the template does not exist" });
      continue;
    }
    candidates.push({ row, sendId, customerId: BigInt(row.customer_id), test, facts, compiled, offer: offer?.data ?? null });
  }
  if (candidates.length === 0) return { outcomes, retry: null };

  // 2. The suppression list and everyone's products, side by side.
  const productCount = Math.max(
    0,
    ...candidates.map(({ compiled }) => (compiled.content.showProducts ? compiled.content.productCount : 0)),
  );
  const [suppressed, picks, lastOrders] = await Promise.all([
    suppressedAmong(
      shopId,
      candidates.flatMap(({ row, test }) => (!test && row.email ? [row.email] : [])),
    ),
    recommendProductsFor(
      shopId,
      candidates.map(({ customerId }) => customerId),
      productCount,
    ),
    Promise.all(candidates.map(({ compiled, customerId }) => (compiled.usesLastOrder ? lastOrderProducts(shopId, customerId) : []))),
  ]);

  // 3. Render what may still go out.
  const ready: Ready[] = [];
  for (const [index, candidate] of candidates.entries()) {
    const { row, sendId, test, compiled } = candidate;
    const blocker = sendBlocker({ ...candidate.facts, addressSuppressed: !test && row.email !== null && suppressed.has(row.email) });
    if (blocker) {
      await settle(sendId, "pending", { status: "blocked", reason: blocker });
      continue;
    }
    const products = compiled.content.showProducts ? picks.get(candidate.customerId)!.slice(0, compiled.content.productCount) : [];
    try {
      ready.push(prepareMail(shopId, candidate, products, lastOrders[index]!, now));
    } catch (error) {
      // Saved templates are checked, so this is a defect, not a passing condition: retrying cannot help.
      const reason = `the e-mail could not be rendered: ${withoutAddresses((error as Error).message).slice(0, 300)}`;
      await settle(sendId, "pending", { status: "failed", reason });
    }
  }

  // 4. The claim: only one attempt gets past this point for a send. Consent is checked once more
  // in the same statement: an unsubscribe may have landed while these rendered.
  const claimed = await claimSends(shopId, ready);
  const unclaimed = ready.filter(({ candidate }) => !claimed.has(candidate.sendId)).map(({ candidate }) => candidate.sendId);
  let retry: DeliveryError | null = null;
  if (unclaimed.length > 0) {
    // Still pending: the customer changed meanwhile, and the checks above now say why not.
    const again = await deliverSends(shopId, unclaimed, transport, now);
    for (const [sendId, outcome] of again.outcomes) outcomes.set(sendId, outcome);
    retry = again.retry;
  }

  // 5. Hand each over; the pool sends them side by side. The accepted ones are marked sent
  // together at the end (a worker that dies before that leaves them `sending`: interrupted, never
  // sent twice).
  const accepted: bigint[] = [];
  await Promise.all(
    ready
      .filter(({ candidate }) => claimed.has(candidate.sendId))
      .map(async ({ candidate, mail }) => {
        const { sendId, customerId, test, row } = candidate;
        try {
          await transport.send(mail);
        } catch (error) {
          const failure = error instanceof DeliveryError ? error : new DeliveryError(withoutAddresses(String(error)), "transient");
          if (failure.failure === "transient") {
            await finish(shopId, sendId, "sending", "pending", failure.message);
            retry ??= failure;
            return;
          }
          if (failure.failure === "uncertain") {
            const reason = `the connection broke while handing the e-mail over; not sent again (${failure.message})`;
            await finish(shopId, sendId, "sending", "interrupted", reason);
            outcomes.set(sendId, { status: "interrupted" });
            return;
          }
          if (failure.failure === "recipient" && !test) await suppressAddress(pool, shopId, row.email!, "bounced", customerId);
          await settle(sendId, "sending", { status: "failed", reason: failure.message });
          return;
        }
        accepted.push(sendId);
        outcomes.set(sendId, { status: "sent", messageId: mail.messageId });
      }),
  );
  await markSent(shopId, accepted);
  return { outcomes, retry };
}

function prepareMail(
  shopId: number,
  candidate: Candidate,
  products: Recommendation[],
  lastOrder: Omit<Recommendation, "reason">[],
  now: Date,
): Ready {
  const { row, sendId, customerId, test, compiled, offer } = candidate;
  const settings = emailSettingsOf(row.settings);
  const shop = emailShopOf(row);
  const shopName = shop.name;
  const token = { shopId, sendId, customerId };
  const unsubscribe = unsubscribeUrl(shopId, sendId, customerId, now);
  const rendered = renderEmail({
    compiled,
    shop,
    customer: { firstName: row.first_name, lastName: row.last_name, locale: row.locale, lastOrderAt: row.last_order_at },
    offer,
    products: products.map(toEmailProduct),
    lastOrderProducts: lastOrder.map(toEmailProduct),
    links: {
      unsubscribeUrl: unsubscribe,
      openPixelUrl: linkUrl("o", "t/o", token, now),
      track: (link) => linkUrl("c", "t/c", { ...token, link }, now),
    },
    now,
  });
  const mail: OutgoingMail = {
    from: { name: settings.senderName ?? shopName, address: env.EMAIL_FROM_ADDRESS! },
    to: test ? row.test_recipient! : row.email!,
    replyTo: settings.replyTo ?? row.contact_email ?? undefined,
    subject: test ? `[Test] ${rendered.subject}` : rendered.subject,
    html: rendered.html,
    text: rendered.text,
    messageId: messageIdFor(shopId, sendId, env.EMAIL_FROM_ADDRESS!),
    unsubscribeUrl: unsubscribe,
  };
  return { candidate, mail, links: rendered.links };
}

/** pending → sending for every rendered send whose customer may still be written to; returns those claimed. */
async function claimSends(shopId: number, ready: Ready[]): Promise<Set<bigint>> {
  if (ready.length === 0) return new Set();
  const claims = ready.map(({ candidate, mail, links }) => ({ id: String(candidate.sendId), links, message_id: mail.messageId }));
  const { rows } = await pool.query<{ id: string }>({
    name: "email-send-claim",
    text: `UPDATE email_sends s SET status = 'sending', attempts = attempts + 1, sending_at = now(), links = claim.links, message_id = claim.message_id, error = NULL
     FROM jsonb_to_recordset($2::jsonb) AS claim(id bigint, links text[], message_id text)
     WHERE s.shop_id = $1 AND s.id = claim.id AND s.status = 'pending'
       AND (s.test_recipient IS NOT NULL OR EXISTS (
         SELECT 1 FROM customers c
         WHERE c.shop_id = $1 AND c.id = s.customer_id AND c.email_marketing_state = 'SUBSCRIBED' AND c.suppressed_at IS NULL))
       AND ${SEQUENCE_OPEN}
     RETURNING s.id`,
    values: [shopId, JSON.stringify(claims)],
  });
  return new Set(rows.map((row) => BigInt(row.id)));
}

/** One statement, one commit: the rows are sent and, unless they were tests, their customers contacted. */
async function markSent(shopId: number, sendIds: bigint[]): Promise<void> {
  if (sendIds.length === 0) return;
  await pool.query({
    name: "email-send-sent",
    text: `WITH sent AS (
       UPDATE email_sends SET status = 'sent', sent_at = now() WHERE shop_id = $1 AND id = ANY($2::bigint[]) AND status = 'sending'
       RETURNING customer_id, test_recipient
     )
     UPDATE customers c SET last_contacted_at = now(), updated_at = now()
     FROM sent WHERE sent.test_recipient IS NULL AND c.shop_id = $1 AND c.id = sent.customer_id`,
    values: [shopId, sendIds.map(String)],
  });
}

/** After the job's last attempt: the send stays visible as failed, with the provider's answer. */
export async function markSendFailed(shopId: number, sendId: bigint, reason: string): Promise<void> {
  await pool.query("UPDATE email_sends SET status = 'failed', error = $3 WHERE shop_id = $1 AND id = $2 AND status = 'pending'", [
    shopId,
    String(sendId),
    reason.slice(0, 500),
  ]);
}

/**
 * Pending sends of a redacted customer are never sent (their data is gone), and no provider
 * answer about them is kept (it may quote their address).
 */
export async function blockSendsOfCustomer(db: Pick<typeof pool, "query">, shopId: number, customerId: number): Promise<void> {
  await db.query(
    `UPDATE email_sends SET status = CASE WHEN status = 'pending' THEN 'blocked' ELSE status END,
       error = CASE WHEN status = 'pending' THEN 'the customer was redacted' END
     WHERE shop_id = $1 AND customer_id = $2`,
    [shopId, customerId],
  );
}

/** Sends handed to the provider longer ago than any SMTP timeout: the worker is gone; they are not sent again. */
export async function interruptAbandonedSends(olderThanMs: number): Promise<number> {
  const { rowCount } = await pool.query(
    `UPDATE email_sends SET status = 'interrupted', error = 'the worker stopped while handing the e-mail to the provider; not sent again'
     WHERE status = 'sending' AND sending_at < now() - make_interval(secs => $1 / 1000.0)`,
    [olderThanMs],
  );
  return rowCount ?? 0;
}

/** Sends still pending this long after they were created (their job was probably lost). */
export async function stalePendingSends(olderThanMs: number, limit: number): Promise<{ shopId: number; sendId: bigint }[]> {
  const rows = await prisma.emailSend.findMany({
    where: { status: "pending", createdAt: { lt: new Date(Date.now() - olderThanMs) }, shop: { uninstalledAt: null } },
    select: { shopId: true, id: true },
    orderBy: { createdAt: "asc" },
    take: limit,
  });
  return rows.map((row) => ({ shopId: row.shopId, sendId: row.id }));
}

/** Unsubscribes not yet reported to Shopify this long after they happened. */
export async function pendingConsentUpdates(olderThanMs: number, limit: number): Promise<{ shopId: number; customerId: bigint }[]> {
  return prisma.consentUpdate.findMany({
    where: { appliedAt: null, failedAt: null, requestedAt: { lt: new Date(Date.now() - olderThanMs) }, shop: { uninstalledAt: null } },
    select: { shopId: true, customerId: true },
    take: limit,
  });
}
