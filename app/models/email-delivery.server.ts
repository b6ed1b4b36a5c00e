import { randomUUID } from "node:crypto";
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
  finishSends,
  recordSentAndClaim,
  sendsToDeliver,
  type ClaimOwner,
  type SendClaim,
  type SendFinish,
  type SendToDeliver,
} from "./send-ledger.server";
import { sendOwner } from "./send-owner.server";
import { suppressAddress, suppressedAmong } from "./suppressions.server";
import { Semaphore } from "../utils/semaphore";

/**
 * The send functions the win-back engine calls: rows of the send ledger (app/models/send-ledger.server.ts)
 * are re-checked, rendered and handed to the mail provider, each at most once. For several sends of
 * one shop, in phases, each a query or a pass over all of them:
 *
 *   1. re-check what the rows, their customers and the shop say (`recheck`);
 *   2. read the suppression list and pick everyone's products (`lookUp`);
 *   3. render what may still go out (`renderMails`);
 *   4. hand them over (`handOver`), as many at once as the transport has connections (in the
 *      whole process: `connectionsOf`), each claimed (pending → sending) the moment it has a
 *      connection and settled (sent, or why not) before the connection takes the next one.
 *
 * So a worker that dies leaves `sending` only what was on its connections: the rest is still
 * pending, and goes out with the next attempt (a job's retry, a repeated step job, the sweep).
 */

export type DeliveryOutcome =
  | { status: "sent"; messageId: string }
  | { status: "blocked" | "failed"; reason: string }
  | { status: "interrupted" }
  /** Another delivery attempt, whose owner is alive, is handing it over right now: that attempt settles the row. */
  | { status: "sending" };

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
  const token = randomUUID();
  // A send that lost its claim is pending because its customer changed while it rendered (an
  // unsubscribe, an order: the next round's re-check says why not, and settles it), or because
  // another attempt claimed it meanwhile (the next round finds it sending, or settled). The claim
  // asks no more than the re-check does, so a round only loses claims to such changes, and each
  // round takes the owner id afresh (one whose lock was lost claims nothing: a new one is taken).
  for (let round = sendIds, rounds = 1; round.length > 0; rounds++) {
    if (rounds > MAX_ROUNDS) throw new Error(`${round.length} sends could not be claimed in ${MAX_ROUNDS} rounds; the job retries`);
    const by: ClaimOwner = { owner: await sendOwner(), token };
    const result = await deliveryRound(shopId, round, deps.transport, now, by);
    for (const [sendId, outcome] of result.outcomes) outcomes.set(sendId, outcome);
    retry = result.retry ?? retry;
    round = result.unclaimed;
  }
  return { outcomes, retry };
}

const MAX_ROUNDS = 5;

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

/** One pass of the phases over these sends; `unclaimed`: rendered, but their claim was refused (not ours to send). */
async function deliveryRound(
  shopId: number,
  sendIds: bigint[],
  transport: MailTransport,
  now: Date,
  by: ClaimOwner,
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

  const handed = await handOver(shopId, rendered.ready, transport, by);
  return { outcomes: new Map([...outcomesOf(settled), ...handed.outcomes]), retry: handed.retry, unclaimed: handed.unclaimed };
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
      settled.push(refused(sendId, { status: "blocked", reason: blocker }));
      continue;
    }
    const compiled = await compiledTemplate(shopId, row.templateId);
    const offer = row.offer === null ? null : emailOfferSchema.safeParse(row.offer);
    if (!compiled || (offer && !offer.success)) {
      const reason = compiled ? "the offer is malformed" : "the template does not exist";
      settled.push(refused(sendId, { status: "failed", reason }));
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

/** Where a recorded outcome leaves a send that is not pending (a repeated job, a job racing this one, or a crash after the provider call). */
function alreadySettled(row: SendToDeliver): Settled {
  const sendId = BigInt(row.id);
  switch (row.status) {
    case "sent":
      return { sendId, outcome: { status: "sent", messageId: row.messageId! }, finish: null };
    case "blocked":
    case "failed":
      return { sendId, outcome: { status: row.status, reason: row.error ?? row.status }, finish: null };
    case "sending":
      // Its owner is handing it over: left to it. An owner that is gone may have handed it over:
      // sending again could deliver twice.
      if (row.claimLive) return { sendId, outcome: { status: "sending" }, finish: null };
      return {
        sendId,
        outcome: { status: "interrupted" },
        finish: { sendId, from: "sending", claimToken: row.claimToken, status: "interrupted", error: ABANDONED_SEND_ERROR },
      };
    default:
      return { sendId, outcome: { status: "interrupted" }, finish: null };
  }
}

function refused(sendId: bigint, outcome: { status: "blocked" | "failed"; reason: string }): Settled {
  return { sendId, outcome, finish: { sendId, from: "pending", status: outcome.status, error: outcome.reason } };
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
      settled.push(refused(sendId, { status: "blocked", reason: blocker }));
      continue;
    }
    const products = compiled.content.showProducts ? lookUps.picks.get(candidate.customerId)!.slice(0, compiled.content.productCount) : [];
    try {
      ready.push(mailOf(shopId, appearance, candidate, products, lookUps.lastOrders.get(sendId)!, now));
    } catch (error) {
      // Saved templates are checked, so this is a defect, not a passing condition: retrying cannot help.
      const reason = `the e-mail could not be rendered: ${withoutAddresses((error as Error).message).slice(0, 300)}`;
      settled.push(refused(sendId, { status: "failed", reason }));
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

/** The process's connections to each transport, shared by every delivery in flight: a claim waits for one. */
const connections = new WeakMap<MailTransport, Semaphore>();
function connectionsOf(transport: MailTransport): Semaphore {
  let semaphore = connections.get(transport);
  if (!semaphore) connections.set(transport, (semaphore = new Semaphore(Math.max(1, transport.connections))));
  return semaphore;
}

/** What became of one rendered send: claimed by someone else, or its outcome (none after a transient refusal: pending again). */
interface HandedOver {
  sendId: bigint;
  claimed: boolean;
  outcome: DeliveryOutcome | null;
  retry: DeliveryError | null;
}

/**
 * Phase 4: the sends go out as connections become free (in this whole process). Each connection
 * (a lane) claims its next send when it has finished the last one, and records the last one as
 * sent in the same statement (`LedgerWrites` gathers the lanes' writes into one statement while
 * another is in flight). The claim runs while the transport opens the SMTP transaction, which
 * holds the message back until it is claimed. So each connection has at most one claimed send
 * not yet settled, and nothing is handed over unclaimed.
 */
async function handOver(
  shopId: number,
  ready: Ready[],
  transport: MailTransport,
  by: ClaimOwner,
): Promise<Omit<Delivery, "outcomes"> & { outcomes: Map<bigint, DeliveryOutcome>; unclaimed: bigint[] }> {
  const slots = connectionsOf(transport);
  const ledger = new LedgerWrites(shopId, by);
  const queue = [...ready];
  const handed: HandedOver[] = [];
  const lane = async () => {
    const release = await slots.acquire();
    let sent: bigint | null = null; // accepted by the provider: recorded with the next claim
    try {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const claim = ledger.write(sent, claimOf(next)).then((claimed) => {
          if (!claimed) throw new NotClaimed();
        });
        claim.catch(() => {}); // awaited by handOver; handled here so no rejection goes unobserved meanwhile
        sent = null;
        const result = await handOverClaimed(shopId, next, transport, by, claim);
        if (result.outcome?.status === "sent") sent = result.sendId;
        handed.push(result);
      }
      if (sent !== null) await ledger.write(sent, null);
    } catch (error) {
      queue.length = 0; // the other lanes finish what they hold, and take nothing more
      throw error;
    } finally {
      release();
    }
  };
  const lanes = await Promise.allSettled(Array.from({ length: Math.min(slots.size, ready.length) }, lane));
  const failed = lanes.find((settled) => settled.status === "rejected");
  if (failed) throw (failed as PromiseRejectedResult).reason;
  const outcomes = new Map<bigint, DeliveryOutcome>();
  for (const { sendId, outcome } of handed) if (outcome) outcomes.set(sendId, outcome);
  return {
    outcomes,
    retry: handed.find(({ retry }) => retry)?.retry ?? null,
    unclaimed: handed.flatMap(({ sendId, claimed }) => (claimed ? [] : [sendId])),
  };
}

const claimOf = ({ candidate, mail, links }: Ready): SendClaim => ({ sendId: candidate.sendId, links, messageId: mail.messageId });

/** The claim of a send was refused: another attempt has it, or its customer changed (the transport handed nothing over). */
class NotClaimed extends Error {
  override name = "NotClaimed";
}

/**
 * The ledger writes of one delivery's lanes: each asks to record its last send as sent and to
 * claim its next one; while a statement is in flight the next requests gather, and go together in
 * the following one (`recordSentAndClaim`). A deadlock with another job's statement is retried.
 */
class LedgerWrites {
  private waiting: { sent: bigint | null; claim: SendClaim | null; done: (claimed: boolean) => void; fail: (error: unknown) => void }[] =
    [];
  private writing = false;

  constructor(
    private readonly shopId: number,
    private readonly by: ClaimOwner,
  ) {}

  /** Resolves once written: whether `claim` is ours. */
  write(sent: bigint | null, claim: SendClaim | null): Promise<boolean> {
    return new Promise((done, fail) => {
      this.waiting.push({ sent, claim, done, fail });
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.writing || this.waiting.length === 0) return;
    this.writing = true;
    const batch = this.waiting.splice(0);
    try {
      const writes = {
        sent: batch.flatMap(({ sent }) => (sent === null ? [] : [sent])),
        claims: batch.flatMap(({ claim }) => (claim ? [claim] : [])),
      };
      const claimed = await retryingDeadlocks(() => recordSentAndClaim(this.shopId, this.by, writes));
      for (const { claim, done } of batch) done(claim !== null && claimed.has(claim.sendId));
    } catch (error) {
      for (const { fail } of batch) fail(error);
    } finally {
      this.writing = false;
      void this.flush();
    }
  }
}

/** PostgreSQL aborts one of two statements that wait on each other's rows (or a serialization conflict): run it again. */
async function retryingDeadlocks<T>(work: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt >= attempts || (code !== "40P01" && code !== "40001")) throw error;
    }
  }
}

/**
 * A send handed to the transport as it is being claimed: not ours (nothing was handed over), sent
 * (recorded by the caller with its next claim), or refused and settled now.
 */
async function handOverClaimed(
  shopId: number,
  { candidate, mail }: Ready,
  transport: MailTransport,
  by: ClaimOwner,
  claim: Promise<void>,
): Promise<HandedOver> {
  const { sendId } = candidate;
  try {
    await transport.send(mail, claim);
  } catch (error) {
    if (error instanceof NotClaimed) return { sendId, claimed: false, outcome: null, retry: null };
    // The claim's own failure (the database) is the job's; the provider's is the send's.
    await claim;
    const failure = error instanceof DeliveryError ? error : new DeliveryError(withoutAddresses(String(error)), "transient");
    return { sendId, claimed: true, ...(await settleRefusal(shopId, candidate, by, failure)) };
  }
  return { sendId, claimed: true, outcome: { status: "sent", messageId: mail.messageId }, retry: null };
}

/** What the provider's refusal makes of a claimed send; a transient one leaves no outcome (the send is pending again) but the error to retry with. */
async function settleRefusal(
  shopId: number,
  { sendId, customerId, test, row }: Candidate,
  by: ClaimOwner,
  failure: DeliveryError,
): Promise<Pick<HandedOver, "outcome" | "retry">> {
  const settle = (status: SendFinish["status"], error: string) =>
    finishSends(shopId, [{ sendId, from: "sending", claimToken: by.token, status, error }]);
  if (failure.failure === "transient") {
    await settle("pending", failure.message);
    return { outcome: null, retry: failure };
  }
  if (failure.failure === "uncertain") {
    await settle("interrupted", `the connection broke while handing the e-mail over; not sent again (${failure.message})`);
    return { outcome: { status: "interrupted" }, retry: null };
  }
  if (failure.failure === "recipient" && !test) await suppressAddress(shopId, row.email!, "bounced", customerId);
  await settle("failed", failure.message);
  return { outcome: { status: "failed", reason: failure.message }, retry: null };
}
