import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { dkimVerify } from "mailauth/lib/dkim/verify";
import prisma, { pool } from "../../app/db.server";
import { createLinkToken, linkKeyFrom } from "../../app/domain/link-tokens";
import { mailTransport } from "../../app/email/mailer.server";
import { createMailTransport, DeliveryError } from "../../app/email/transport.server";
import { deliverSend, deliverSends } from "../../app/models/email-delivery.server";
import { createSend } from "../../app/models/send-ledger.server";
import { saveEmailTemplate } from "../../app/models/email-templates.server";
import { recommendProducts, RECOMMEND_SQL_FOR_TESTS } from "../../app/models/recommendations.server";
import { run as maintenanceSweep } from "../../app/jobs/maintenance-sweep.handler";
import { enqueue } from "../../app/jobs/client.server";
import { startWorkers, type RunningWorkers } from "../../workers/index";
import { callLink } from "../support/app-routes";
import { startAppServer } from "../support/app-server";
import { eventually } from "../support/processes";
import { installApp, type ShopState } from "../support/shopify-emulator";
import type { ReceivedMail } from "../support/smtp-sink";

// E-mail end to end: a real SMTP server in this process (with DKIM checked by mailauth), the
// emulator as Shopify (customers, consent), the real worker, and the public link routes.
const { emulator, sink, dkim } = await vi.hoisted(() =>
  import("../support/emulator-fixture").then((fixture) => fixture.startEmulator({ smtp: true, dkim: true })),
);

const SHOP = "mail-shop.myshopify.com";
const OTHER = "other-mail-shop.myshopify.com";
let state: ShopState;
let shopId: number;
let otherShopId: number;
let workers: RunningWorkers;
let app: Awaited<ReturnType<typeof startAppServer>>;
let templateId: number;

const OFFER = { code: "WB-7QK2M9XR4T8Z", kind: "percentage" as const, value: 15, endsAt: "2026-12-31T22:59:00Z" };
const CONTENT = {
  subject: "We miss you, {{ customer.first_name }}",
  preheader: "{{ discount.value }} off, just for you",
  heading: "It's been {{ days_since_last_order }} days",
  body: '<p>Hi {{ customer.first_name }},</p><p>Here is something for your next visit to <a href="{{ shop.url }}/collections/new">our new arrivals</a>.</p>',
  buttonText: "Use my code",
  showOffer: true,
  showProducts: true,
  productCount: 4,
};

beforeAll(async () => {
  app = await startAppServer();
  emulator.setAppUrl(app.url);
  state = emulator.addShop({ seed: "mail", customers: 400, shopName: "mail-shop" });
  emulator.addShop({ seed: "mail-other", customers: 30, shopName: "other-mail-shop" });
  workers = await startWorkers();
  ({ shopId } = await installApp(emulator, SHOP));
  ({ shopId: otherShopId } = await installApp(emulator, OTHER));
  await eventually(
    async () => (await prisma.shop.count({ where: { syncState: "completed", detailsSyncedAt: { not: null } } })) === 2,
    60_000,
  );
  const saved = await saveEmailTemplate(shopId, CONTENT);
  if (!saved.ok) throw new Error(JSON.stringify(saved));
  templateId = saved.id;
}, 90_000);

afterAll(async () => {
  await workers.close();
  await app.close();
  await emulator.close();
  await sink.close();
});

/** A subscribed customer with orders, not used by another test yet. */
const used = new Set<bigint>();
async function subscribedBuyer(): Promise<{ id: bigint; email: string; firstName: string }> {
  const rows = await prisma.customer.findMany({
    where: { shopId, emailMarketingState: "SUBSCRIBED", ordersCount: { gte: 2 }, suppressedAt: null, email: { not: null } },
    orderBy: { id: "asc" },
  });
  const row = rows.find((candidate) => !used.has(candidate.id))!;
  used.add(row.id);
  return { id: row.id, email: row.email!, firstName: row.firstName ?? "" };
}

const sendRow = (id: bigint) => prisma.emailSend.findFirstOrThrow({ where: { id } });

async function sendThroughWorker(customerId: bigint, extra: { testRecipient?: string } = {}) {
  const before = sink.received.length;
  const sendId = await createSend(shopId, { customerId, templateId, campaign: "win-back", step: 1, offer: OFFER, ...extra });
  await enqueue("sendEmail", { shopId, sendId: String(sendId) });
  await sink.waitFor(before + 1);
  await eventually(async () => (await sendRow(sendId)).status === "sent");
  return { sendId, mail: sink.received[before]! };
}

/** A header as sent (mailparser files List-* headers elsewhere), unfolded. */
function header(mail: ReceivedMail, name: string): string {
  const line = mail.parsed.headerLines.find((candidate) => candidate.key === name)?.line ?? "";
  return line
    .slice(line.indexOf(":") + 1)
    .replace(/\r?\n[ \t]+/g, "")
    .trim();
}
const unsubscribeLinkOf = (mail: ReceivedMail) => header(mail, "list-unsubscribe").slice(1, -1);

function linksIn(html: string): string[] {
  return [...html.matchAll(/href="([^"]+)"/g)].map((match) => match[1]!.replace(/&amp;/g, "&"));
}

describe("sending", () => {
  it("delivers an e-mail with both parts, the name, the code, the products, the unsubscribe headers and the address, DKIM-signed", async () => {
    const customer = await subscribedBuyer();
    const { sendId, mail } = await sendThroughWorker(customer.id);
    const { parsed } = mail;

    expect(mail.envelope.to).toEqual([customer.email]);
    expect(parsed.subject).toBe(`We miss you, ${customer.firstName}`);
    const shopName = (await prisma.shop.findUniqueOrThrow({ where: { id: shopId } })).name;
    expect(parsed.from?.value).toEqual([{ address: "win-back@mail.winback.test", name: shopName }]);
    expect(parsed.replyTo?.value[0]?.address).toBe("hello+mail-shop@example.com");
    expect(parsed.messageId).toBe(`<wb-${shopId}-${sendId}@mail.winback.test>`);
    expect(typeof parsed.html).toBe("string");
    expect(parsed.text).toBeTruthy();

    const unsubscribe = header(mail, "list-unsubscribe");
    expect(unsubscribe).toMatch(/^<https:\/\/winback\.test\/u\/[\w-]+\.[\w-]+>$/);
    expect(header(mail, "list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");

    const row = await sendRow(sendId);
    const shop = await prisma.shop.findUniqueOrThrow({ where: { id: shopId } });
    const address = shop.postalAddress as { address1: string; city: string };
    for (const part of [parsed.html as string, parsed.text!]) {
      expect(part).toContain(OFFER.code);
      expect(part).toContain(address.address1);
      expect(part).toContain(unsubscribe.slice(1, -1));
    }
    // The recommended products are in the e-mail, each behind a tracked link to its page.
    const products = (row.links ?? []).filter((link) => link.includes("/products/"));
    expect(products.length).toBeGreaterThan(0);
    expect(products.length).toBeLessThanOrEqual(4);
    const titles = await prisma.product.findMany({
      where: { shopId, handle: { in: products.map((link) => decodeURIComponent(link.split("/products/")[1]!)) } },
    });
    for (const product of titles) expect(parsed.text).toContain(product.title);

    // DKIM verifies, and the signature covers both unsubscribe headers.
    const result = await dkimVerify(mail.raw, {
      resolver: async (name: string, type: string) =>
        type === "TXT" && name === "wb2026._domainkey.mail.winback.test" ? [[dkim.record]] : [],
    });
    expect(result.results[0]!.status.result).toBe("pass");
    const signed = (result.results[0] as unknown as { signingHeaders: { keys: string } }).signingHeaders.keys.toLowerCase().split(": ");
    expect(signed).toEqual(expect.arrayContaining(["list-unsubscribe", "list-unsubscribe-post", "from", "subject"]));

    // The customer was contacted: the re-entry cool-down starts now.
    expect((await prisma.customer.findUniqueOrThrow({ where: { shopId_id: { shopId, id: customer.id } } })).lastContactedAt).not.toBeNull();
  });

  it("sends at most once: a repeated job, and a retry after a worker died mid-send, send nothing more", async () => {
    const customer = await subscribedBuyer();
    const { sendId } = await sendThroughWorker(customer.id);
    const count = sink.received.length;

    expect(await deliverSend(shopId, sendId, { transport: mailTransport() })).toMatchObject({ status: "sent" });

    const crashed = await createSend(shopId, { customerId: customer.id, templateId, campaign: "win-back", step: 2 });
    await prisma.emailSend.update({ where: { shopId_id: { shopId, id: crashed } }, data: { status: "sending" } }); // the provider may have it
    expect(await deliverSend(shopId, crashed, { transport: mailTransport() })).toEqual({ status: "interrupted" });
    expect((await sendRow(crashed)).status).toBe("interrupted");

    // A row whose job is gone as well: the sweep closes it, it is never sent.
    const abandoned = await createSend(shopId, { customerId: customer.id, templateId, campaign: "win-back", step: 3 });
    await prisma.emailSend.update({
      where: { shopId_id: { shopId, id: abandoned } },
      data: { status: "sending", sendingAt: new Date(Date.now() - 31 * 60_000) },
    });
    expect((await maintenanceSweep()).sendsInterrupted).toBeGreaterThanOrEqual(1);
    expect(await sendRow(abandoned)).toMatchObject({ status: "interrupted", error: expect.stringMatching(/not sent again/) });
    expect(sink.received.length).toBe(count);
  });

  it("retries a temporary refusal, and suppresses an address that bounces", async () => {
    const transport = createMailTransport({ smtpUrl: sink.url, poolSize: 1, outboxDir: "unused", production: false });
    try {
      const customer = await subscribedBuyer();
      sink.transientFailures = 1;
      const retried = await createSend(shopId, { customerId: customer.id, templateId, campaign: "win-back", step: 1, offer: OFFER });
      await expect(deliverSend(shopId, retried, { transport })).rejects.toMatchObject({
        failure: "transient",
      } satisfies Partial<DeliveryError>);
      expect(await sendRow(retried)).toMatchObject({ status: "pending", error: expect.stringMatching(/451/) });
      expect(await deliverSend(shopId, retried, { transport })).toMatchObject({ status: "sent" });

      const bouncing = await subscribedBuyer();
      sink.bouncing.add(bouncing.email.toLowerCase());
      const bounced = await createSend(shopId, { customerId: bouncing.id, templateId, campaign: "win-back", step: 1, offer: OFFER });
      expect(await deliverSend(shopId, bounced, { transport })).toMatchObject({ status: "failed", reason: expect.stringMatching(/550/) });
      expect((await prisma.customer.findUniqueOrThrow({ where: { shopId_id: { shopId, id: bouncing.id } } })).suppressedAt).not.toBeNull();
      const next = await createSend(shopId, { customerId: bouncing.id, templateId, campaign: "win-back", step: 2 });
      expect(await deliverSend(shopId, next, { transport })).toMatchObject({
        status: "blocked",
        reason: expect.stringMatching(/suppressed/),
      });
    } finally {
      transport.close();
    }
  });

  it("re-checks consent right before sending", async () => {
    const customer = await subscribedBuyer();
    const sendId = await createSend(shopId, { customerId: customer.id, templateId, campaign: "win-back", step: 1 });
    await prisma.customer.update({ where: { shopId_id: { shopId, id: customer.id } }, data: { emailMarketingState: "UNSUBSCRIBED" } });
    expect(await deliverSend(shopId, sendId, { transport: mailTransport() })).toMatchObject({
      status: "blocked",
      reason: expect.stringMatching(/not subscribed/),
    });
  });

  it("delivers a job of many rows: each settled on its own, each customer's own e-mail, once", async () => {
    const [first, second, unsubscribed, bouncing] = [
      await subscribedBuyer(),
      await subscribedBuyer(),
      await subscribedBuyer(),
      await subscribedBuyer(),
    ];
    await prisma.customer.update({ where: { shopId_id: { shopId, id: unsubscribed.id } }, data: { emailMarketingState: "UNSUBSCRIBED" } });
    sink.bouncing.add(bouncing.email.toLowerCase());
    const send = (customerId: bigint) => createSend(shopId, { customerId, templateId, campaign: "win-back", step: 1, offer: OFFER });
    const ids = [await send(first.id), await send(second.id), await send(unsubscribed.id), await send(bouncing.id)];
    const before = sink.received.length;

    await enqueue("sendEmails", { shopId, sendIds: ids.map(String) });
    await eventually(
      async () => (await prisma.emailSend.count({ where: { id: { in: ids }, status: { in: ["pending", "sending"] } } })) === 0,
    );
    const rows = await prisma.emailSend.findMany({ where: { id: { in: ids } }, orderBy: { id: "asc" } });
    expect(rows.map((row) => row.status)).toEqual(["sent", "sent", "blocked", "failed"]);
    await sink.waitFor(before + 2);
    const delivered = sink.received.slice(before);
    expect(delivered.map((mail) => mail.envelope.to[0]).sort()).toEqual([first.email, second.email].sort());
    expect(delivered.map((mail) => mail.parsed.subject).sort()).toEqual(
      [`We miss you, ${first.firstName}`, `We miss you, ${second.firstName}`].sort(),
    );

    // The same job again (a retry, or the sweep's copy): nothing more leaves.
    expect((await deliverSends(shopId, ids, { transport: mailTransport() })).outcomes.get(ids[0]!)).toMatchObject({ status: "sent" });
    expect(sink.received.length).toBe(before + 2);
  });

  it("refuses a template with an unknown variable when it is saved", async () => {
    expect(await saveEmailTemplate(shopId, { ...CONTENT, body: "<p>{{ customer.email }}</p>" })).toEqual({
      ok: false,
      fieldErrors: {},
      problems: [{ field: "body", message: "Unknown variable customer.email", line: 1, column: 7 }],
    });
  });

  it("sends a test to the merchant with a real customer's data, and its unsubscribe link changes nothing", async () => {
    const customer = await subscribedBuyer();
    const { sendId, mail } = await sendThroughWorker(customer.id, { testRecipient: "merchant@example.com" });
    expect(mail.envelope.to).toEqual(["merchant@example.com"]);
    expect(mail.parsed.subject).toBe(`[Test] We miss you, ${customer.firstName}`);

    const response = await callLink(unsubscribeLinkOf(mail), { method: "POST", body: "List-Unsubscribe=One-Click" });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("This was a test e-mail");
    expect((await prisma.customer.findUniqueOrThrow({ where: { shopId_id: { shopId, id: customer.id } } })).suppressedAt).toBeNull();
    expect((await sendRow(sendId)).unsubscribedAt).toBeNull();
  });
});

describe("unsubscribing", () => {
  it("GET shows a confirmation and changes nothing; a cookieless POST unsubscribes here and in Shopify; the next send is refused", async () => {
    const customer = await subscribedBuyer();
    const { sendId, mail } = await sendThroughWorker(customer.id);
    const url = unsubscribeLinkOf(mail);

    const page = await callLink(url);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(await page.text()).toContain('<form method="post">');
    expect((await prisma.customer.findUniqueOrThrow({ where: { shopId_id: { shopId, id: customer.id } } })).suppressedAt).toBeNull();
    expect(await prisma.consentUpdate.count({ where: { shopId } })).toBe(0);

    const done = await callLink(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("You are unsubscribed");
    expect((await sendRow(sendId)).unsubscribedAt).not.toBeNull();
    expect((await prisma.customer.findUniqueOrThrow({ where: { shopId_id: { shopId, id: customer.id } } })).suppressedAt).not.toBeNull();

    // Shopify learns it (customerEmailMarketingConsentUpdate), and its consent webhook comes back.
    await eventually(async () => state.customer(Number(customer.id))?.marketingState === "UNSUBSCRIBED");
    await eventually(async () => (await prisma.consentUpdate.findFirst({ where: { shopId, customerId: customer.id } }))?.appliedAt != null);
    await eventually(
      async () =>
        (await prisma.customer.findUniqueOrThrow({ where: { shopId_id: { shopId, id: customer.id } } })).emailMarketingState ===
        "UNSUBSCRIBED",
    );

    const later = await createSend(shopId, { customerId: customer.id, templateId, campaign: "win-back", step: 2 });
    expect(await deliverSend(shopId, later, { transport: mailTransport() })).toMatchObject({ status: "blocked" });

    // Repeating the POST is harmless.
    expect((await callLink(url, { method: "POST", body: "List-Unsubscribe=One-Click" })).status).toBe(200);
  });

  it("reports an unsubscribe to Shopify even when its job was lost", async () => {
    const customer = await subscribedBuyer();
    await prisma.consentUpdate.create({ data: { shopId, customerId: customer.id, requestedAt: new Date(Date.now() - 5 * 60_000) } });
    expect((await maintenanceSweep()).consentUpdatesQueued).toBeGreaterThanOrEqual(1);
    await eventually(async () => state.customer(Number(customer.id))?.marketingState === "UNSUBSCRIBED");
  });
});

describe("tracked links", () => {
  const key = linkKeyFrom(process.env.SHOPIFY_API_SECRET!);

  it("redirects only to the destinations recorded at send time, with UTM tags, and counts clicks", async () => {
    const customer = await subscribedBuyer();
    const { sendId, mail } = await sendThroughWorker(customer.id);
    const row = await sendRow(sendId);
    const tracked = linksIn(mail.parsed.html as string).filter((href) => href.includes("/t/c/"));
    expect(tracked.length).toBe(row.links.length);

    // Each tracked link leads to the destination recorded under its index.
    const indexOf = (href: string) => JSON.parse(Buffer.from(href.split("/t/c/")[1]!.split(".")[0]!, "base64url").toString()).l as number;
    const body = tracked.find((href) => row.links[indexOf(href)]!.endsWith("/collections/new"))!;
    const response = await callLink(body);
    expect(response.status).toBe(302);
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    const location = new URL(response.headers.get("location")!);
    expect(`${location.origin}${location.pathname}`).toBe(
      `${(await prisma.shop.findUniqueOrThrow({ where: { id: shopId } })).primaryDomainUrl}/collections/new`,
    );
    expect(Object.fromEntries(location.searchParams)).toMatchObject({
      utm_source: "win-back",
      utm_medium: "email",
      utm_campaign: "win-back",
      utm_content: "step-1",
    });
    expect(await sendRow(sendId)).toMatchObject({ clicks: 1, firstClickedAt: expect.any(Date) });

    // A link index that was never recorded, a token altered by hand, another shop's send, an expired link.
    const token = { shopId, sendId, customerId: customer.id };
    const unrecorded = createLinkToken(key, { kind: "c", ...token, link: row.links.length }, new Date());
    expect((await callLink(`https://winback.test/t/c/${unrecorded}`)).status).toBe(404);
    const [data, signature] = body.split("/t/c/")[1]!.split(".");
    const altered = Buffer.from(
      Buffer.from(data!, "base64url")
        .toString()
        .replace(/"l":\d+/, '"l":1'),
    ).toString("base64url");
    expect((await callLink(`https://winback.test/t/c/${altered}.${signature}`)).status).toBe(400);
    const crossShop = createLinkToken(key, { kind: "c", ...token, shopId: otherShopId, link: 0 }, new Date());
    expect((await callLink(`https://winback.test/t/c/${crossShop}`)).status).toBe(404);
    const expired = createLinkToken(key, { kind: "c", ...token, link: 0 }, new Date(Date.now() - 200 * 86_400_000));
    expect((await callLink(`https://winback.test/t/c/${expired}`)).status).toBe(410);
    expect((await sendRow(sendId)).clicks).toBe(1);
  });

  it("records the first open with the pixel", async () => {
    const customer = await subscribedBuyer();
    const { sendId, mail } = await sendThroughWorker(customer.id);
    const pixel = [...(mail.parsed.html as string).matchAll(/src="([^"]*\/t\/o\/[^"]+)"/g)][0]![1]!;
    const response = await callLink(pixel);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/gif");
    const opened = (await sendRow(sendId)).openedAt;
    expect(opened).not.toBeNull();
    await callLink(pixel);
    expect((await sendRow(sendId)).openedAt).toEqual(opened);
  });

  it("slows down a client that keeps trying invalid links", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 45 && !statuses.includes(429); i++) {
      statuses.push((await callLink(`https://winback.test/t/c/guess${i}.AAAA`, { clientAddress: "198.51.100.9" })).status);
    }
    expect(statuses).toContain(429);
    expect(statuses.filter((status) => status === 400).length).toBeGreaterThanOrEqual(20);
    // Someone else's valid link still works.
    expect((await callLink(`https://winback.test/t/c/guess.AAAA`, { clientAddress: "198.51.100.10" })).status).toBe(400);
  });
});

describe("recommendations", () => {
  it("puts products bought together first and never suggests what the customer bought or what cannot be bought", async () => {
    const buyers = await pool.query<{ id: string }>(
      "SELECT id FROM customers WHERE shop_id = $1 AND orders_count >= 2 ORDER BY id LIMIT 40",
      [shopId],
    );
    let bundled = 0;
    for (const { id } of buyers.rows) {
      const picks = await recommendProducts(shopId, BigInt(id), 10);
      const bought = await pool.query<{ id: string }>(
        "SELECT DISTINCT unnest(product_ids) AS id FROM orders WHERE shop_id = $1 AND customer_id = $2 AND cancelled_at IS NULL",
        [shopId, id],
      );
      const boughtIds = new Set(bought.rows.map((row) => row.id));
      const products = await prisma.product.findMany({ where: { shopId, id: { in: picks.map((pick) => pick.productId) } } });
      expect(picks.length).toBeGreaterThan(0);
      for (const pick of picks) expect(boughtIds.has(String(pick.productId))).toBe(false);
      for (const product of products) expect(product).toMatchObject({ status: "ACTIVE", published: true, available: true });
      // Tiers in order: bought together, then similar, then best sellers.
      const tiers = picks.map((pick) => ["bought_together", "similar", "best_seller"].indexOf(pick.reason.kind));
      expect(tiers).toEqual([...tiers].sort((a, b) => a - b));
      if (picks[0]!.reason.kind === "bought_together") bundled++;
    }
    expect(bundled).toBeGreaterThan(buyers.rows.length / 2);
  });

  it("picks for a job's customers together exactly what the rule picks for each alone", async () => {
    const customers = await pool.query<{ id: string }>("SELECT id FROM customers WHERE shop_id = $1 ORDER BY id", [shopId]);
    const ids = customers.rows.map((row) => row.id);
    for (const limit of [3, 10]) {
      const together = await pool.query(RECOMMEND_SQL_FOR_TESTS.batch, [shopId, ids, limit]);
      const alone = await pool.query(RECOMMEND_SQL_FOR_TESTS.oneByOne, [shopId, ids, limit]);
      const byCustomer = (rows: Record<string, unknown>[]) => {
        const picks = new Map<string, string[]>();
        for (const row of rows) picks.set(String(row.customer_id), [...(picks.get(String(row.customer_id)) ?? []), JSON.stringify(row)]);
        return picks;
      };
      expect(together.rows.length).toBeGreaterThan(ids.length);
      expect(byCustomer(together.rows)).toEqual(byCustomer(alone.rows));
    }
  });

  it("ranks the product most often bought with theirs first", async () => {
    const { rows } = await pool.query<{ customer_id: string; related_id: string }>(
      `WITH bought AS (
         SELECT DISTINCT o.customer_id, item.id FROM orders o, unnest(o.product_ids) item(id)
         WHERE o.shop_id = $1 AND o.customer_id IS NOT NULL AND o.cancelled_at IS NULL
       ), scored AS (
         SELECT b.customer_id, pp.related_id, sum(pp.orders) AS score
         FROM bought b JOIN product_pairs pp ON pp.shop_id = $1 AND pp.product_id = b.id
         JOIN products p ON p.shop_id = $1 AND p.id = pp.related_id AND p.status = 'ACTIVE' AND p.published AND p.available
         WHERE NOT EXISTS (SELECT 1 FROM bought mine WHERE mine.customer_id = b.customer_id AND mine.id = pp.related_id)
         GROUP BY b.customer_id, pp.related_id
       )
       SELECT DISTINCT ON (customer_id) customer_id, related_id FROM scored ORDER BY customer_id, score DESC, related_id LIMIT 10`,
      [shopId],
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const [first] = await recommendProducts(shopId, BigInt(row.customer_id), 3);
      expect(String(first!.productId)).toBe(row.related_id);
    }
  });
});
