import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { execute, queryRows } from "../../app/db.server";
import { offerSchema } from "../../app/domain/campaign";
import { createMailTransport, type MailTransport } from "../../app/email/transport.server";
import { RetryLater } from "../../app/jobs/attempts";
import { ensureReadyMadeCampaign } from "../../app/models/campaigns.server";
import { ensurePersonalCode } from "../../app/models/discount-codes.server";
import { deliverSend, deliverSends } from "../../app/models/email-delivery.server";
import { saveEmailTemplate } from "../../app/models/email-templates.server";
import { ABANDONED_SEND_ERROR, claimSends, createSend, interruptAbandonedSends, markSent } from "../../app/models/send-ledger.server";
import { OWNER_LOCK_CLASS } from "../../app/models/send-owner.server";
import { adminQuery } from "../../app/models/shopify-admin.server";
import { makeEnrollments } from "../support/factories";
import { eventually } from "../support/processes";
import { sendingShop } from "../support/sending-shop";
import type { ShopState } from "../support/shopify-emulator";

// Jobs racing one another in one process, against the real database, a real SMTP server and the
// emulator as Shopify: two deliveries of the same sends, an owner that dies while its row is
// `sending`, and several jobs making the same personal code at once.
const { emulator, sink } = await vi.hoisted(async () => {
  const { ShopifyEmulator } = await import("../support/shopify-emulator/emulator");
  const { SmtpSink } = await import("../support/smtp-sink");
  const { API_KEY, API_SECRET_KEY } = await import("@shopify/shopify-api/test-helpers");
  const started = await ShopifyEmulator.start({ apiKey: API_KEY, apiSecret: API_SECRET_KEY });
  const smtp = await SmtpSink.start();
  Object.assign(process.env, { SHOPIFY_ADMIN_API_ORIGIN: started.origin, SMTP_URL: smtp.url });
  return { emulator: started, sink: smtp };
});

const POOL = 5;
let shopId: number;
let state: ShopState;
let customerIds: bigint[];
let templateId: number;
const transports: MailTransport[] = [];

/** A transport of its own: to the delivery pipeline, another process's pool of connections. */
function transport(): MailTransport {
  const created = createMailTransport({ smtpUrl: sink.url, poolSize: POOL, outboxDir: "unused", production: false });
  transports.push(created);
  return created;
}

beforeAll(async () => {
  ({ shopId, state, customerIds } = await sendingShop(emulator, { seed: "race-shop", customers: 60 }));
  const saved = await saveEmailTemplate(shopId, {
    subject: "We miss you, {{ customer.first_name }}",
    preheader: "",
    heading: "Hello again",
    body: "<p>Hi {{ customer.first_name }},</p>",
    buttonText: "Shop now",
    showOffer: false,
    showProducts: false,
    productCount: 1,
  });
  if (!saved.ok) throw new Error(JSON.stringify(saved));
  templateId = saved.id;
}, 60_000);

afterAll(async () => {
  for (const created of transports) created.close();
  await emulator.close();
  await sink.close();
});

const newSends = async (count: number, step: number) => {
  const ids: bigint[] = [];
  for (let i = 0; i < count; i++) ids.push(await createSend(shopId, { customerId: customerIds[i]!, templateId, campaign: "race", step }));
  return ids;
};
const rowsOf = (ids: bigint[]) =>
  queryRows<{ id: string; status: string; messageId: string | null; claimToken: string | null; error: string | null }>(
    "SELECT id, status, message_id, claim_token, error FROM email_sends WHERE id = ANY($1::bigint[]) ORDER BY id",
    [ids.map(String)],
  );
const statusOf = async (id: bigint) => (await rowsOf([id]))[0]!.status;
const messageIdsSince = (before: number) => sink.received.slice(before).map((mail) => mail.parsed.messageId);

describe("two jobs delivering the same sends", () => {
  it("every e-mail that leaves is recorded sent, none leaves twice, and neither job touches the rows the other is sending", async () => {
    const ids = await newSends(30, 1);
    const before = sink.received.length;
    // The first job's connections each get one message the server does not answer yet.
    sink.holdNext = POOL;
    const first = deliverSends(shopId, ids, { transport: transport() });
    await sink.waitForHeld(POOL);
    const inFlight = (await rowsOf(ids)).filter((row) => row.status === "sending");
    expect(inFlight).toHaveLength(POOL);

    // The second (a step job that outlived its lease, or one BullMQ took for stalled) meanwhile.
    const second = await deliverSends(shopId, ids, { transport: transport() });

    const outcomes = [...second.outcomes.values()];
    expect(outcomes.filter((outcome) => outcome.status === "sent")).toHaveLength(30 - POOL);
    expect(outcomes.filter((outcome) => outcome.status === "sending")).toHaveLength(POOL);
    const afterSecond = await rowsOf(ids);
    for (const row of inFlight) expect(afterSecond.find((candidate) => candidate.id === row.id)).toMatchObject({ status: "sending" });

    sink.releaseHeld();
    const firstDone = await first;
    expect([...firstDone.outcomes.values()].every((outcome) => outcome.status === "sent")).toBe(true);
    const rows = await rowsOf(ids);
    expect(rows.map((row) => row.status)).toEqual(ids.map(() => "sent"));
    await sink.waitFor(before + 30);
    const delivered = messageIdsSince(before);
    expect(new Set(delivered).size).toBe(delivered.length);
    expect(delivered.sort()).toEqual(rows.map((row) => row.messageId).sort());
  });
});

describe("a send claimed by a worker process", () => {
  it("is left alone while its owner lives, interrupted once it is gone, and its owner's record of it still stands", async () => {
    const [id] = await newSends(1, 2);
    // Another process: its own session holding an owner's lock.
    const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    const owner = 424_242;
    await other.query("SELECT pg_advisory_lock($1, $2)", [OWNER_LOCK_CLASS, owner]);
    const by = { owner, token: randomUUID() };
    expect(await claimSends(shopId, by, [{ sendId: id!, links: [], messageId: "<race-owner@mail.winback.test>" }])).toEqual(new Set([id]));
    const before = sink.received.length;

    expect(await deliverSend(shopId, id!, { transport: transport() })).toEqual({ status: "sending" });
    await interruptAbandonedSends();
    expect(await statusOf(id!)).toBe("sending");

    await other.end(); // the process dies: PostgreSQL frees its lock
    await eventually(async () => (await interruptAbandonedSends()) > 0 || (await statusOf(id!)) === "interrupted");
    expect((await rowsOf([id!]))[0]).toMatchObject({ status: "interrupted", error: ABANDONED_SEND_ERROR });
    expect(await deliverSend(shopId, id!, { transport: transport() })).toEqual({ status: "interrupted" });
    expect(sink.received.length).toBe(before);

    // It was only its lock's connection that was lost: the owner records what it sent.
    await markSent(shopId, { owner, token: randomUUID() }, [id!]);
    expect(await statusOf(id!)).toBe("interrupted");
    await markSent(shopId, by, [id!]);
    expect((await rowsOf([id!]))[0]).toMatchObject({ status: "sent", error: null });
  });

  it("is claimed only while its owner's lock is held", async () => {
    const [id] = await newSends(1, 3);
    const claimed = await claimSends(shopId, { owner: 171_717, token: randomUUID() }, [{ sendId: id!, links: [], messageId: "<x@y>" }]);
    expect(claimed.size).toBe(0);
    expect(await statusOf(id!)).toBe("pending");
  });
});

describe("several jobs making one personal code at once", () => {
  const offer = offerSchema.parse({ kind: "percentage", value: 10, expiresInDays: 14 });
  let campaignId: number;
  beforeAll(async () => {
    campaignId = await ensureReadyMadeCampaign(shopId);
  });
  const enrollment = async (customerId: bigint) => (await makeEnrollments(shopId, campaignId, [{ customerId, nextStep: 2 }]))[0]!;
  const discountsFor = (code: string) => [...state.discounts.values()].filter((discount) => JSON.stringify(discount).includes(code));

  it("creates one code and one discount in Shopify, with no unique violation and no retry", async () => {
    const target = await enrollment(customerIds[40]!);
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => ensurePersonalCode(shopId, target, 2, offer, { admin: adminQuery })),
    );

    const codes = results.flatMap((result) => (result.status === "fulfilled" ? [result.value.code] : []));
    // A job that waited longer than it may is delayed (RetryLater, no attempt spent), never failed.
    for (const result of results) if (result.status === "rejected") expect(result.reason).toBeInstanceOf(RetryLater);
    expect(codes.length).toBeGreaterThan(0);
    expect(new Set(codes).size).toBe(1);
    const rows = await queryRows<{ code: string; status: string }>("SELECT code, status FROM discount_codes WHERE enrollment_id = $1", [
      String(target.id),
    ]);
    expect(rows).toEqual([{ code: codes[0], status: "created" }]);
    expect(discountsFor(codes[0]!)).toHaveLength(1);
    // Asked again later (a repeated job): the same code, nothing new in Shopify.
    expect((await ensurePersonalCode(shopId, target, 2, offer, { admin: adminQuery })).code).toBe(codes[0]);
    expect(discountsFor(codes[0]!)).toHaveLength(1);
  });

  it("leaves a code another job is creating to it, and takes over one whose job died", async () => {
    const target = await enrollment(customerIds[41]!);
    await execute(
      `INSERT INTO discount_codes (shop_id, enrollment_id, step, code, offer, ends_at, creating_until, updated_at)
       VALUES ($1, $2, 2, 'WB-RACE0000000000001', $3, now() + interval '14 days', now() + interval '1 minute', now())`,
      [shopId, String(target.id), JSON.stringify(offer)],
    );
    await expect(ensurePersonalCode(shopId, target, 2, offer, { admin: adminQuery, waitMs: 0 })).rejects.toBeInstanceOf(RetryLater);
    expect(discountsFor("WB-RACE0000000000001")).toHaveLength(0);

    await execute("UPDATE discount_codes SET creating_until = now() - interval '1 second' WHERE enrollment_id = $1", [String(target.id)]);
    expect((await ensurePersonalCode(shopId, target, 2, offer, { admin: adminQuery })).code).toBe("WB-RACE0000000000001");
    expect(discountsFor("WB-RACE0000000000001")).toHaveLength(1);
  });
});
