import { sendBlocker, type SendFacts } from "../domain/send-checks";
import { emailOfferSchema, renderEmail, toEmailProduct, type EmailOffer } from "../email/render";
import { emailShopOf, missingAddressPartsOf, senderOf, type EmailSender, type EmailShop } from "../email/shop";
import type { CompiledContent } from "../email/template";
import { DeliveryError, withoutAddresses, type MailTransport, type OutgoingMail } from "../email/transport.server";
import { env } from "../env.server";
import { readEmailShop, type EmailShopRow } from "./email-shop.server";
import { compiledTemplate } from "./email-templates.server";
import { sendLinks } from "./email-tracking.server";
import { lastOrderProducts, recommendProductsFor, type Recommendation } from "./recommendations.server";
import {
  ABANDONED_SEND_ERROR,
  claimSends,
  finishSends,
  markSent,
  sendsToDeliver,
  type SendFinish,
  type SendToDeliver,
} from "./send-ledger.server";
import { suppressAddress, suppressedAmong } from "./suppressions.server";

/**
 * The send functions the win-back engine calls: rows of the send ledger (app/models/send-ledger.server.ts)
 * are re-checked, rendered and handed to the mail provider, each at most once. For several sends of
 * one shop, in phases, each a query or a pass over all of them:
 *
 *   1. re-check what the rows, their customers and the shop say (`recheck`);
 *   2. read the suppression list and pick everyone's products (`lookUp`);
 *   3. render what may still go out (`renderMails`);
 *   4. claim the rendered rows, pending → sending (`claimSends`);
 *   5. hand them over side by side (`handOver`), and mark the accepted ones sent together.
 */

export type DeliveryOutcome =
  { status: "sent"; messageId: string } | { status: "blocked" | "failed"; reason: string } | { status: "interrupted" };

/** `retry` is set when a provider refused some sends for now: those are pending again, the others are settled. */
export interface Delivery {
  outcomes: Map<bigint, DeliveryOutcome>;
  retry: DeliveryError | null;
}

export interface DeliveryDeps {
  transport: MailTransport;
  now?: Date;
}

/** One send; throws the provider's DeliveryError when it refused for now (the row is pending again). */
export async function deliverSend(shopId: number, sendId: bigint, deps: DeliveryDeps): Promise<DeliveryOutcome> {
  const { outcomes, retry } = await deliverSends(shopId, [sendId], deps);
  if (retry) throw retry;
  return outcomes.get(sendId) ?? { status: "failed", reason: "no such send" };
}

/**
 * Delivers several sends of one shop: one query loads them (and one their shop, side by side),
 * one reads the suppression list, one picks everyone's products, one claims them, then each is
 * handed to the provider (the SMTP pool sends them side by side) and the accepted ones are marked
 * sent in one statement.
 */
export async function deliverSends(shopId: number, sendIds: bigint[], deps: DeliveryDeps): Promise<Delivery> {
  const now = deps.now ?? new Date();
  const outcomes = new Map<bigint, DeliveryOutcome>();
  let retry: DeliveryError | null = null;
  // A send that lost its claim is still pending because its customer changed while it rendered
  // (an unsubscribe, an order): the next round's re-check says why not, and settles it. The claim
  // asks no more than the re-check does, so a round only loses claims to such changes.
  for (let round = sendIds; round.length > 0;) {
    const result = await deliveryRound(shopId, round, deps.transport, now);
    for (const [sendId, outcome] of result.outcomes) outcomes.set(sendId, outcome);
    retry = result.retry ?? retry;
    round = result.unclaimed;
  }
  return { outcomes, retry };
}

/** A pending send that passed the checks that need no further query. */
interface Candidate {
  row: SendToDeliver;
  sendId: bigint;
  customerId: bigint;
  test: boolean;
  facts: SendFacts;
  compiled: CompiledContent;
  offer: EmailOffer | null;
}

/** A send decided before the provider was called: its outcome, and what the ledger records (null: the row already says it). */
interface Settled {
  sendId: bigint;
  outcome: DeliveryOutcome;
  finish: SendFinish | null;
}

/** What the suppression list and the product picks say about the candidates. */
interface LookUps {
  suppressed: Set<string>;
  picks: Map<bigint, Recommendation[]>;
  lastOrders: Map<bigint, Omit<Recommendation, "reason">[]>;
}

/** A rendered send, ready to be claimed and handed over. */
interface Ready {
  candidate: Candidate;
  mail: OutgoingMail;
  links: string[];
}

/** One pass of the five phases over these sends; `unclaimed`: rendered, but their claim was refused (still pending). */
async function deliveryRound(
  shopId: number,
  sendIds: bigint[],
  transport: MailTransport,
  now: Date,
): Promise<Delivery & { unclaimed: bigint[] }> {
  const [shop, rows] = await Promise.all([readEmailShop(shopId), sendsToDeliver(shopId, sendIds)]);
  // A shop that is gone took its sends with it.
  if (!shop) return { outcomes: new Map(), retry: null, unclaimed: [] };

  const checked = await recheck(shopId, shop, rows);
  if (checked.candidates.length === 0) {
    await recordSettled(shopId, checked.settled);
    return { outcomes: outcomesOf(checked.settled), retry: null, unclaimed: [] };
  }
  const rendered = renderMails(shopId, shop, checked.candidates, await lookUp(shopId, checked.candidates), now);
  const settled = [...checked.settled, ...rendered.settled];
  await recordSettled(shopId, settled);

  const claimed = await claimSends(
    shopId,
    rendered.ready.map(({ candidate, mail, links }) => ({ sendId: candidate.sendId, links, messageId: mail.messageId })),
  );
  const handed = await handOver(
    shopId,
    rendered.ready.filter(({ candidate }) => claimed.has(candidate.sendId)),
    transport,
  );
  await markSent(shopId, handed.accepted);
  return {
    outcomes: new Map([...outcomesOf(settled), ...handed.outcomes]),
    retry: handed.retry,
    unclaimed: rendered.ready.filter(({ candidate }) => !claimed.has(candidate.sendId)).map(({ candidate }) => candidate.sendId),
  };
}

/** The ledger's record of sends decided before any was claimed, in one statement. */
async function recordSettled(shopId: number, settled: Settled[]): Promise<void> {
  await finishSends(
    shopId,
    settled.flatMap(({ finish }) => (finish ? [finish] : [])),
  );
}

const outcomesOf = (settled: Settled[]) => new Map(settled.map(({ sendId, outcome }) => [sendId, outcome]));

/** Phase 1: the checks that need nothing more than the row, the shop and the template. */
async function recheck(
  shopId: number,
  shop: EmailShopRow,
  rows: SendToDeliver[],
): Promise<{ candidates: Candidate[]; settled: Settled[] }> {
  const candidates: Candidate[] = [];
  const settled: Settled[] = [];
  const missingAddress = missingAddressPartsOf(shop);
  for (const row of rows) {
    const sendId = BigInt(row.id);
    if (row.status !== "pending") {
      settled.push(alreadySettled(row));
      continue;
    }
    const facts = sendFactsOf(row, shop, missingAddress);
    const blocker = sendBlocker(facts);
    if (blocker) {
      settled.push(refused(sendId, "pending", { status: "blocked", reason: blocker }));
      continue;
    }
    const compiled = await compiledTemplate(shopId, row.templateId);
    const offer = row.offer === null ? null : emailOfferSchema.safeParse(row.offer);
    if (!compiled || (offer && !offer.success)) {
      const reason = compiled ? "the offer is malformed" : "the template does not exist";
      settled.push(refused(sendId, "pending", { status: "failed", reason }));
      continue;
    }
    candidates.push({ row, sendId, customerId: BigInt(row.customerId), test: facts.test, facts, compiled, offer: offer?.data ?? null });
  }
  return { candidates, settled };
}

function sendFactsOf(row: SendToDeliver, shop: EmailShopRow, missingAddressParts: string[]): SendFacts {
  return {
    test: row.testRecipient !== null,
    shopInstalled: shop.uninstalledAt === null,
    missingAddressParts,
    fromAddress: env.EMAIL_FROM_ADDRESS ?? null,
    customer: row.customerExists ? { email: row.email, consent: row.emailMarketingState, suppressed: row.suppressedAt !== null } : null,
    addressSuppressed: false,
    sequenceOpen: row.sequenceOpen,
  };
}

/** Where a recorded outcome leaves a send that is not pending (a repeated job, or a crash after the provider call). */
function alreadySettled(row: SendToDeliver): Settled {
  const sendId = BigInt(row.id);
  switch (row.status) {
    case "sent":
      return { sendId, outcome: { status: "sent", messageId: row.messageId! }, finish: null };
    case "blocked":
    case "failed":
      return { sendId, outcome: { status: row.status, reason: row.error ?? row.status }, finish: null };
    case "sending":
      // The provider may have accepted it: sending again could deliver twice.
      return {
        sendId,
        outcome: { status: "interrupted" },
        finish: { sendId, from: "sending", status: "interrupted", error: ABANDONED_SEND_ERROR },
      };
    default:
      return { sendId, outcome: { status: "interrupted" }, finish: null };
  }
}

function refused(sendId: bigint, from: SendFinish["from"], outcome: { status: "blocked" | "failed"; reason: string }): Settled {
  return { sendId, outcome, finish: { sendId, from, status: outcome.status, error: outcome.reason } };
}

/** Phase 2: the suppression list and everyone's products, side by side. */
async function lookUp(shopId: number, candidates: Candidate[]): Promise<LookUps> {
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
    Promise.all(
      candidates.map(
        async ({ sendId, compiled, customerId }) =>
          [sendId, compiled.usesLastOrder ? await lastOrderProducts(shopId, customerId) : []] as const,
      ),
    ),
  ]);
  return { suppressed, picks, lastOrders: new Map(lastOrders) };
}

/** Phase 3: the e-mail of every candidate the suppression list does not stop. Renders nothing else; writes nothing. */
function renderMails(
  shopId: number,
  shop: EmailShopRow,
  candidates: Candidate[],
  lookUps: LookUps,
  now: Date,
): { ready: Ready[]; settled: Settled[] } {
  const ready: Ready[] = [];
  const settled: Settled[] = [];
  // Candidates passed the re-check, so the sender address is configured.
  const appearance = { shop: emailShopOf(shop), sender: senderOf(shop, env.EMAIL_FROM_ADDRESS!) };
  for (const candidate of candidates) {
    const { row, sendId, test, compiled } = candidate;
    const blocker = sendBlocker({
      ...candidate.facts,
      addressSuppressed: !test && row.email !== null && lookUps.suppressed.has(row.email),
    });
    if (blocker) {
      settled.push(refused(sendId, "pending", { status: "blocked", reason: blocker }));
      continue;
    }
    const products = compiled.content.showProducts ? lookUps.picks.get(candidate.customerId)!.slice(0, compiled.content.productCount) : [];
    try {
      ready.push(mailOf(shopId, appearance, candidate, products, lookUps.lastOrders.get(sendId)!, now));
    } catch (error) {
      // Saved templates are checked, so this is a defect, not a passing condition: retrying cannot help.
      const reason = `the e-mail could not be rendered: ${withoutAddresses((error as Error).message).slice(0, 300)}`;
      settled.push(refused(sendId, "pending", { status: "failed", reason }));
    }
  }
  return { ready, settled };
}

function mailOf(
  shopId: number,
  appearance: { shop: EmailShop; sender: EmailSender },
  candidate: Candidate,
  products: Recommendation[],
  lastOrder: Omit<Recommendation, "reason">[],
  now: Date,
): Ready {
  const { row, sendId, customerId, test, compiled, offer } = candidate;
  const links = sendLinks(shopId, { sendId, customerId }, { now });
  const rendered = renderEmail({
    compiled,
    shop: appearance.shop,
    customer: { firstName: row.firstName, lastName: row.lastName, locale: row.locale, lastOrderAt: row.lastOrderAt },
    offer,
    products: products.map(toEmailProduct),
    lastOrderProducts: lastOrder.map(toEmailProduct),
    links,
    now,
  });
  const mail: OutgoingMail = {
    ...appearance.sender,
    to: test ? row.testRecipient! : row.email!,
    subject: test ? `[Test] ${rendered.subject}` : rendered.subject,
    html: rendered.html,
    text: rendered.text,
    messageId: `<wb-${shopId}-${sendId}@${appearance.sender.from.address.split("@")[1]}>`,
    unsubscribeUrl: links.unsubscribeUrl,
  };
  return { candidate, mail, links: rendered.links };
}

/**
 * Phase 5: hands each claimed send over; the pool sends them side by side. The accepted ones are
 * marked sent together by the caller (a worker that dies before that leaves them `sending`:
 * interrupted, never sent twice); a refusal is recorded as soon as it comes.
 */
async function handOver(shopId: number, ready: Ready[], transport: MailTransport): Promise<Delivery & { accepted: bigint[] }> {
  const handed = await Promise.all(ready.map((one) => handOverOne(shopId, one, transport)));
  const outcomes = new Map<bigint, DeliveryOutcome>();
  for (const { sendId, outcome } of handed) if (outcome) outcomes.set(sendId, outcome);
  return {
    outcomes,
    retry: handed.find(({ retry }) => retry)?.retry ?? null,
    accepted: handed.flatMap(({ sendId, outcome }) => (outcome?.status === "sent" ? [sendId] : [])),
  };
}

/** One send to the provider; a transient refusal leaves no outcome (the send is pending again) but the error to retry with. */
async function handOverOne(
  shopId: number,
  { candidate, mail }: Ready,
  transport: MailTransport,
): Promise<{ sendId: bigint; outcome: DeliveryOutcome | null; retry: DeliveryError | null }> {
  const { sendId, customerId, test, row } = candidate;
  try {
    await transport.send(mail);
    return { sendId, outcome: { status: "sent", messageId: mail.messageId }, retry: null };
  } catch (error) {
    const failure = error instanceof DeliveryError ? error : new DeliveryError(withoutAddresses(String(error)), "transient");
    if (failure.failure === "transient") {
      await finishSends(shopId, [{ sendId, from: "sending", status: "pending", error: failure.message }]);
      return { sendId, outcome: null, retry: failure };
    }
    if (failure.failure === "uncertain") {
      const reason = `the connection broke while handing the e-mail over; not sent again (${failure.message})`;
      await finishSends(shopId, [{ sendId, from: "sending", status: "interrupted", error: reason }]);
      return { sendId, outcome: { status: "interrupted" }, retry: null };
    }
    if (failure.failure === "recipient" && !test) await suppressAddress(shopId, row.email!, "bounced", customerId);
    await finishSends(shopId, [{ sendId, from: "sending", status: "failed", error: failure.message }]);
    return { sendId, outcome: { status: "failed", reason: failure.message }, retry: null };
  }
}
