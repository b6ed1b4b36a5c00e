import { randomBytes, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { parse as parseToml } from "smol-toml";
import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { webhookHandlers } from "../../app/jobs/process-webhook-event.handler";
import { getQueue } from "../../app/jobs/client.server";
import { postWebhook, routeModule } from "../support/app-routes";
import { shopDomain, webhookRequest } from "../support/shopify";
import { callRoute } from "../support/app-routes";

const shop = shopDomain("webhook-shop");
const orderPayload = { id: 820982911946154500, email: "jon@example.com", total_price: "199.00" };

async function jobCount(): Promise<number> {
  const counts = await getQueue("webhooks").getJobCounts("waiting", "active", "delayed", "completed", "failed");
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

beforeEach(async () => {
  await prisma.webhookEvent.deleteMany();
  await getQueue("webhooks").obliterate({ force: true });
});

describe("webhook routes", () => {
  it("verifies, records and queues a delivery, answering 200", async () => {
    const webhookId = randomUUID();
    const triggeredAt = "2026-11-22T10:00:00.000Z";

    const response = await postWebhook({ topic: "orders/create", shop, payload: orderPayload, webhookId, eventId: "ev-1", triggeredAt });

    expect(response.status).toBe(200);
    const events = await prisma.webhookEvent.findMany();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      shopDomain: shop,
      webhookId,
      eventId: "ev-1",
      topic: "orders/create",
      apiVersion: "2026-10",
      triggeredAt: new Date(triggeredAt),
      deliveries: 1,
      processedAt: null,
      payload: JSON.stringify(orderPayload),
    });
    const job = await getQueue("webhooks").getJob(`webhook-event-${events[0]!.id}`);
    // Ids only: the payload (and its personal data) stays in PostgreSQL.
    expect(job?.data).toEqual({ webhookEventId: String(events[0]!.id) });
    expect(await jobCount()).toBe(1);
  });

  it("answers a repeated delivery with 200 and neither a second row nor a second job", async () => {
    const webhookId = randomUUID();

    const first = await postWebhook({ topic: "orders/create", shop, payload: orderPayload, webhookId });
    const repeat = await postWebhook({ topic: "orders/create", shop, payload: orderPayload, webhookId });

    expect([first.status, repeat.status]).toEqual([200, 200]);
    const events = await prisma.webhookEvent.findMany();
    expect(events.map((event) => event.deliveries)).toEqual([2]);
    expect(await jobCount()).toBe(1);
  });

  it("does not enqueue a repeat of an event that was already applied", async () => {
    const webhookId = randomUUID();
    await postWebhook({ topic: "orders/create", shop, payload: orderPayload, webhookId });
    await prisma.webhookEvent.updateMany({ data: { processedAt: new Date() } });
    await getQueue("webhooks").obliterate({ force: true });

    const repeat = await postWebhook({ topic: "orders/create", shop, payload: orderPayload, webhookId });

    expect(repeat.status).toBe(200);
    expect(await jobCount()).toBe(0);
  });

  it("keeps the same webhook id of two shops apart", async () => {
    const webhookId = randomUUID();
    await postWebhook({ topic: "orders/create", shop, payload: orderPayload, webhookId });
    await postWebhook({ topic: "orders/create", shop: shopDomain("other-shop"), payload: orderPayload, webhookId });

    expect(await prisma.webhookEvent.count()).toBe(2);
    expect(await jobCount()).toBe(2);
  });

  it("rejects a wrong HMAC with 401 and writes nothing", async () => {
    const response = await postWebhook({ topic: "orders/create", shop, payload: orderPayload, hmac: "d3JvbmcgaG1hYw==" });

    expect(response.status).toBe(401);
    expect(await prisma.webhookEvent.count()).toBe(0);
    expect(await jobCount()).toBe(0);
  });

  it("rejects a body changed after signing with 401", async () => {
    const request = webhookRequest({ topic: "orders/create", shop, payload: orderPayload });
    const tampered = new Request(request.url, {
      method: "POST",
      headers: request.headers,
      body: JSON.stringify({ ...orderPayload, total_price: "0.00" }),
    });

    expect((await callRoute("/webhooks/orders/create", tampered)).status).toBe(401);
    expect(await prisma.webhookEvent.count()).toBe(0);
  });

  it.each(["x-shopify-webhook-id", "x-shopify-topic", "x-shopify-shop-domain", "x-shopify-api-version"])(
    "answers 400 when %s is missing",
    async (header) => {
      const response = await postWebhook({ topic: "orders/create", shop, payload: orderPayload, omitHeaders: [header] });

      expect(response.status).toBe(400);
      expect(await prisma.webhookEvent.count()).toBe(0);
    },
  );

  it("answers 401 when the signature header is missing", async () => {
    const response = await postWebhook({ topic: "orders/create", shop, payload: orderPayload, omitHeaders: ["x-shopify-hmac-sha256"] });
    expect(response.status).toBe(401);
    expect(await prisma.webhookEvent.count()).toBe(0);
  });

  it.each(["GET", "PUT", "DELETE"])("answers 405 to %s", async (method) => {
    const response = await postWebhook({ topic: "orders/create", shop, payload: orderPayload, method });
    expect(response.status).toBe(405);
    expect(await prisma.webhookEvent.count()).toBe(0);
  });

  it("stores a signed body exactly, including JSON that PostgreSQL's jsonb would refuse", async () => {
    const rawBody = '{"id":9,"note":"nul \\u0000 and lone \\ud800 surrogate"}';

    const response = await postWebhook({ topic: "orders/create", shop, rawBody });

    expect(response.status).toBe(200);
    expect((await prisma.webhookEvent.findFirstOrThrow()).payload).toBe(rawBody);
  });

  it("answers 400 when the topic header is not the route's topic", async () => {
    const request = webhookRequest({ topic: "shop/redact", shop, payload: { shop_domain: shop } });
    const response = await callRoute("/webhooks/orders/create", request);

    expect(response.status).toBe(400);
    expect(await prisma.webhookEvent.count()).toBe(0);
  });

  it("answers 400 to a shop domain that is not a Shopify shop", async () => {
    const response = await postWebhook({ topic: "orders/create", shop: "evil.example.com", payload: orderPayload });
    expect(response.status).toBe(400);
  });

  it.each([
    ["shop/redact", { shop_id: 1, shop_domain: "victim.myshopify.com" }],
    ["shop/redact", { shop_id: 1 }],
    ["customers/redact", { shop_domain: "victim.myshopify.com", customer: { id: 1 } }],
    ["app/uninstalled", { id: 1, myshopify_domain: "victim.myshopify.com" }],
  ])("answers 401 to a signed %s body that names another shop than the header (replay)", async (topic, payload) => {
    const response = await postWebhook({ topic, shop, payload });

    expect(response.status).toBe(401);
    expect(await prisma.webhookEvent.count()).toBe(0);
  });

  it("accepts a compliance body that names the header's shop", async () => {
    const response = await postWebhook({ topic: "shop/redact", shop, payload: { shop_id: 1, shop_domain: shop } });
    expect(response.status).toBe(200);
  });

  it("answers 400 to a correctly signed body that is not JSON", async () => {
    const response = await postWebhook({ topic: "orders/create", shop, rawBody: "{not json" });
    expect(response.status).toBe(400);
    expect(await prisma.webhookEvent.count()).toBe(0);
  });

  it("never answers 5xx to fuzzed deliveries, and stores only signed JSON", async () => {
    const bodies = ["", "null", "[]", '{"id":1}', "1e999", '"\\ud800"', "{".repeat(5000)];
    for (let i = 0; i < 150; i++) bodies.push(randomBytes(1 + (i % 64)).toString(i % 2 ? "latin1" : "base64"));
    let signedJson = 0;
    for (const [i, rawBody] of bodies.entries()) {
      const signed = i % 3 === 0;
      const isJson = (() => {
        try {
          JSON.parse(rawBody);
          return true;
        } catch {
          return false;
        }
      })();
      const response = await postWebhook({
        topic: "orders/create",
        shop,
        rawBody,
        webhookId: randomBytes(8).toString("hex"),
        ...(signed ? {} : { hmac: randomBytes(32).toString("base64") }),
      });
      expect(response.status, `fuzz case ${i}`).toBe(signed ? (isJson ? 200 : 400) : 401);
      if (signed && isJson) signedJson++;
    }
    expect(await prisma.webhookEvent.count()).toBe(signedJson);
  });
});

describe("webhook intake under load (group commit)", () => {
  it("records 1,000 concurrent deliveries, repeats included, as one row and one job per webhook", async () => {
    const webhookIds = Array.from({ length: 800 }, () => randomUUID());
    const deliveries = [...webhookIds, ...webhookIds.slice(0, 200)];

    const responses = await Promise.all(
      deliveries.map((webhookId) => postWebhook({ topic: "orders/create", shop, payload: orderPayload, webhookId })),
    );

    expect(responses.every((response) => response.status === 200)).toBe(true);
    const events = await prisma.webhookEvent.findMany({ select: { webhookId: true, deliveries: true } });
    expect(events).toHaveLength(800);
    expect(events.reduce((sum, event) => sum + event.deliveries, 0)).toBe(1000);
    expect(await jobCount()).toBe(800);
  });

  it("answers 503 to every delivery of a batch the database refuses, and stores each once when Shopify retries", async () => {
    // One poisoned delivery makes the batch's single statement fail, as a database error would.
    await prisma.$executeRawUnsafe(`CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.webhook_id = 'poison' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$`);
    await prisma.$executeRawUnsafe(
      "CREATE TRIGGER refuse_poison BEFORE INSERT ON webhook_events FOR EACH ROW EXECUTE FUNCTION refuse_poison()",
    );
    const webhookIds = [...Array.from({ length: 20 }, () => randomUUID()), "poison"];
    const deliver = () =>
      Promise.all(webhookIds.map((webhookId) => postWebhook({ topic: "orders/create", shop, payload: orderPayload, webhookId })));
    try {
      // Delivered together, they are committed together: none is acknowledged, none is kept.
      expect((await deliver()).map((response) => response.status)).toEqual(webhookIds.map(() => 503));
      expect(await prisma.webhookEvent.count()).toBe(0);
      expect(await jobCount()).toBe(0);
    } finally {
      await prisma.$executeRawUnsafe("DROP TRIGGER refuse_poison ON webhook_events");
      await prisma.$executeRawUnsafe("DROP FUNCTION refuse_poison()");
    }

    expect((await deliver()).map((response) => response.status)).toEqual(webhookIds.map(() => 200));
    expect(await prisma.webhookEvent.count()).toBe(21);
    expect(await jobCount()).toBe(21);
  });
});

describe("webhook subscriptions in shopify.app.toml", () => {
  type Subscription = { uri: string; topics?: string[]; compliance_topics?: string[] };

  async function subscriptions(): Promise<Subscription[]> {
    const toml = parseToml(await readFile("shopify.app.toml", "utf8")) as {
      webhooks: { api_version: string; subscriptions: Subscription[] };
    };
    expect(toml.webhooks.api_version).toBe("2026-10");
    return toml.webhooks.subscriptions;
  }

  it("has a route file for every uri, named after it", async () => {
    const files = new Set(await readdir("app/routes"));
    for (const { uri } of await subscriptions()) {
      expect(files, uri).toContain(`${uri.slice(1).replaceAll("/", ".")}.tsx`);
    }
  });

  it("has every route file declare the topic of its uri, which the web process answers before Remix", async () => {
    for (const file of (await readdir("app/routes")).filter((name) => name.startsWith("webhooks."))) {
      const uriTopic = file
        .replace(/^webhooks\./, "")
        .replace(/\.tsx$/, "")
        .replace(".", "/");
      const route = (await routeModule(`/${file.replace(/\.tsx$/, "").replaceAll(".", "/")}`)) as { webhookTopic?: string };
      expect(route.webhookTopic, file).toBe(uriTopic);
    }
  });

  it("subscribes every webhook route file", async () => {
    const uris = new Set((await subscriptions()).map((subscription) => subscription.uri));
    const routeFiles = (await readdir("app/routes")).filter((file) => file.startsWith("webhooks."));
    expect(routeFiles.length).toBeGreaterThan(0);
    for (const file of routeFiles) {
      expect(uris, file).toContain(`/${file.replace(/\.tsx$/, "").replaceAll(".", "/")}`);
    }
  });

  it("subscribes the topics the product needs, including the three compliance topics", async () => {
    const all = await subscriptions();
    const topics = all.flatMap((subscription) => subscription.topics ?? []);
    const compliance = all.flatMap((subscription) => subscription.compliance_topics ?? []);
    expect(compliance.sort()).toEqual(["customers/data_request", "customers/redact", "shop/redact"]);
    expect(topics.sort()).toEqual([
      "app/scopes_update",
      "app/uninstalled",
      "checkouts/create",
      "customers/create",
      "customers/delete",
      "customers/update",
      "customers_email_marketing_consent/update",
      "orders/cancelled",
      "orders/create",
      "orders/updated",
    ]);
    for (const subscription of all) {
      const [topic] = [...(subscription.topics ?? []), ...(subscription.compliance_topics ?? [])];
      expect(subscription.uri).toBe(`/webhooks/${topic}`);
    }
  });

  it("has a worker handler for every subscribed topic", async () => {
    for (const subscription of await subscriptions()) {
      for (const topic of [...(subscription.topics ?? []), ...(subscription.compliance_topics ?? [])]) {
        expect(webhookHandlers, topic).toHaveProperty([topic]);
      }
    }
  });
});
