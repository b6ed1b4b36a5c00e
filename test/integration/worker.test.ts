import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import prisma, { pool } from "../../app/db.server";
import { claimShopsNeedingDetails, recordUninstall } from "../../app/models/shop.server";
import { defaultHandlers } from "../../app/jobs/registry";
import { startWorkers, type RunningWorkers } from "../../workers/index";
import { run as maintenanceSweep } from "../../app/jobs/maintenance-sweep.handler";
import { run as processWebhookEvent } from "../../app/jobs/process-webhook-event.handler";
import { enqueue, getQueue } from "../../app/jobs/client.server";
import { QUEUE_NAMES } from "../../app/jobs/define";
import { postWebhook } from "../support/app-routes";
import { makeShop } from "../support/factories";
import { eventually, ScriptProcess } from "../support/processes";
import { ScratchRedis } from "../support/services";
import { shopDomain } from "../support/shopify";

const shop = shopDomain("worker-shop");
const DAY = 24 * 3600_000;

const installShop = (authorizedAt = new Date("2026-11-01T00:00:00Z")) =>
  makeShop({ domain: shop, installedAt: authorizedAt, authorizedAt }, { session: true });

/** A minimal orders/create body as Shopify sends it. */
function orderBody(id: number, customerId: number) {
  const now = new Date().toISOString();
  return {
    id,
    created_at: now,
    updated_at: now,
    total_price: "42.00",
    currency: "EUR",
    discount_codes: [],
    line_items: [{ product_id: 8_000_000_000_001 }],
    refunds: [],
    customer: { id: customerId, email: "buyer@example.com", first_name: "B", last_name: "Uyer", updated_at: now },
  };
}

async function processedEvent(webhookId: string) {
  return eventually(() => prisma.webhookEvent.findFirst({ where: { webhookId, processedAt: { not: null } } }));
}

async function jobState(eventId: bigint) {
  return (await getQueue("webhooks").getJob(`webhook-event-${eventId}`))?.getState();
}

async function resetState() {
  await prisma.webhookEvent.deleteMany();
  await prisma.session.deleteMany();
  await prisma.shop.deleteMany();
  for (const name of QUEUE_NAMES) await getQueue(name).obliterate({ force: true });
}

describe("worker processing webhook events", () => {
  let workers: RunningWorkers;
  beforeAll(async () => {
    workers = await startWorkers();
  });
  afterAll(() => workers.close());
  beforeEach(resetState);

  it("app/uninstalled marks the shop uninstalled, deletes its sessions and clears the body", async () => {
    await installShop();
    const webhookId = randomUUID();
    const triggeredAt = "2026-11-20T12:00:00.000Z";

    await postWebhook({ topic: "app/uninstalled", shop, payload: { id: 1, myshopify_domain: shop }, webhookId, triggeredAt });

    const event = await processedEvent(webhookId);
    expect(event.payload).toBeNull();
    expect(event.lastError).toBeNull();
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).uninstalledAt).toEqual(new Date(triggeredAt));
    expect(await prisma.session.count({ where: { shop } })).toBe(0);
  });

  it("ignores an app/uninstalled from before the shop's latest authorization (late delivery after a reinstall)", async () => {
    await installShop(new Date("2026-11-21T00:00:00Z"));
    const webhookId = randomUUID();

    await postWebhook({
      topic: "app/uninstalled",
      shop,
      payload: { myshopify_domain: shop },
      webhookId,
      triggeredAt: "2026-11-20T12:00:00.000Z",
    });

    await processedEvent(webhookId);
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).uninstalledAt).toBeNull();
    expect(await prisma.session.count({ where: { shop } })).toBe(1);
  });

  it("app/scopes_update stores the granted scopes, and an older delivery does not roll them back", async () => {
    await installShop();
    const newer = randomUUID();
    const older = randomUUID();

    await postWebhook({
      topic: "app/scopes_update",
      shop,
      payload: { current: ["read_orders", "read_customers"] },
      webhookId: newer,
      triggeredAt: "2026-11-20T10:00:00.000Z",
    });
    await processedEvent(newer);
    await postWebhook({
      topic: "app/scopes_update",
      shop,
      payload: { current: ["read_orders"] },
      webhookId: older,
      triggeredAt: "2026-11-20T09:00:00.000Z",
    });
    await processedEvent(older);

    expect((await prisma.session.findFirstOrThrow({ where: { shop } })).scope).toBe("read_orders,read_customers");
  });

  it("shop/redact erases the shop, its sessions and its webhook records", async () => {
    const installed = await installShop(new Date("2026-01-01T00:00:00Z"));
    await prisma.shop.update({ where: { id: installed.id }, data: { uninstalledAt: new Date("2026-11-18T00:00:00Z") } });
    await postWebhook({ topic: "orders/create", shop, payload: { id: 5 } });

    await postWebhook({ topic: "shop/redact", shop, payload: { shop_id: 1, shop_domain: shop }, triggeredAt: "2026-11-20T00:00:00.000Z" });

    await eventually(async () => (await prisma.shop.count({ where: { domain: shop } })) === 0);
    await eventually(async () => (await prisma.webhookEvent.count({ where: { shopDomain: shop } })) === 0);
    expect(await prisma.session.count({ where: { shop } })).toBe(0);
  });

  it("shop/redact spares a shop that reinstalled after its uninstall webhook was lost", async () => {
    await installShop(new Date(Date.now() - 3600_000)); // authorized an hour ago, uninstall never recorded
    const webhookId = randomUUID();

    await postWebhook({ topic: "shop/redact", shop, payload: { shop_domain: shop }, webhookId, triggeredAt: new Date().toISOString() });

    await processedEvent(webhookId);
    expect(await prisma.shop.count({ where: { domain: shop } })).toBe(1);
    expect(await prisma.session.count({ where: { shop } })).toBe(1);
  });

  it("customers/redact clears the customer's pending webhook bodies and nobody else's", async () => {
    const pending = (webhookId: string, topic: string, body: unknown) =>
      prisma.webhookEvent.create({ data: { shopDomain: shop, webhookId, topic, payload: JSON.stringify(body) } });
    const theirOrder = await pending("o1", "orders/create", { id: 11, customer: { id: 42, email: "jane@example.com" } });
    const theirConsent = await pending("c1", "customers_email_marketing_consent/update", { customer_id: 42 });
    const otherOrder = await pending("o2", "orders/create", { id: 12, customer: { id: 7 } });
    const webhookId = randomUUID();

    await postWebhook({
      topic: "customers/redact",
      shop,
      webhookId,
      payload: { shop_domain: shop, customer: { id: 42 }, orders_to_redact: [11] },
    });

    await processedEvent(webhookId);
    for (const { id } of [theirOrder, theirConsent]) {
      expect(await prisma.webhookEvent.findUniqueOrThrow({ where: { id } })).toMatchObject({
        payload: null,
        lastError: "redacted before it was applied",
      });
    }
    expect((await prisma.webhookEvent.findUniqueOrThrow({ where: { id: otherOrder.id } })).payload).toContain('"id":7');
  });

  it("parks a body without the shape Shopify documents at once (retrying cannot fix it)", async () => {
    await installShop();
    const webhookId = randomUUID();

    await postWebhook({ topic: "app/scopes_update", shop, payload: { current: "not-a-list" }, webhookId });

    const event = await eventually(() => prisma.webhookEvent.findFirst({ where: { webhookId, failedAt: { not: null } } }));
    expect(event.lastError).toMatch(/^ZodError: /);
    await eventually(async () => (await jobState(event.id)) === "failed");
  });

  it("retries an event that fails for a passing reason, with backoff, until it applies", async () => {
    await installShop();
    const webhookId = randomUUID();
    await pool.query("ALTER TABLE orders RENAME TO orders_away");
    try {
      await postWebhook({ topic: "orders/create", shop, webhookId, payload: orderBody(91, 7_000_000_000_001) });
      const event = await eventually(() => prisma.webhookEvent.findFirst({ where: { webhookId, lastError: { not: null } } }));
      expect(event).toMatchObject({ processedAt: null, failedAt: null });
      expect(event.lastError).toMatch(/relation "orders" does not exist/);
      await eventually(async () => (await jobState(event.id)) === "delayed");
    } finally {
      await pool.query("ALTER TABLE orders_away RENAME TO orders");
    }
    // The retry (2 s backoff) applies it.
    await eventually(() => prisma.webhookEvent.findFirst({ where: { webhookId, processedAt: { not: null } } }), 15_000);
    expect(await prisma.order.count({ where: { id: 91n } })).toBe(1);
  });

  it("parks an event it can never apply, visibly, and a repeated delivery from Shopify revives it", async () => {
    await installShop();
    const webhookId = randomUUID();
    await postWebhook({ topic: "customers/redact", shop, webhookId, payload: { shop_domain: shop, customer: {} } });
    const parked = await eventually(() => prisma.webhookEvent.findFirst({ where: { webhookId, failedAt: { not: null } } }));
    expect(parked.lastError).toBe("UnrecoverableError: customers/redact without a customer id");
    await eventually(async () => (await jobState(parked.id)) === "failed");

    // Whatever made it fail is fixed (here: the stored body); Shopify delivers the event again.
    await prisma.webhookEvent.update({
      where: { id: parked.id },
      data: { payload: JSON.stringify({ shop_domain: shop, customer: { id: 1 } }) },
    });
    const repeat = await postWebhook({ topic: "customers/redact", shop, webhookId, payload: { shop_domain: shop, customer: {} } });

    expect(repeat.status).toBe(200);
    expect(await processedEvent(webhookId)).toMatchObject({ failedAt: null, lastError: null, deliveries: 2 });
  });

  it("applies an event once, however often its job runs", async () => {
    await installShop();
    const webhookId = randomUUID();
    await postWebhook({ topic: "app/scopes_update", shop, payload: { current: ["a"] }, webhookId });
    const event = await processedEvent(webhookId);
    await prisma.session.updateMany({ where: { shop }, data: { scope: "changed-since" } });

    // A stalled job run again, or a sweeper re-enqueue, lands here a second time.
    expect(await processWebhookEvent({ webhookEventId: String(event.id) })).toBe("already-processed");
    expect((await prisma.session.findFirstOrThrow({ where: { shop } })).scope).toBe("changed-since");
  });
});

describe("install and uninstall racing", () => {
  beforeEach(resetState);

  it("an uninstall decided while afterAuth is re-authorizing the shop sees the reinstall and stands down", async () => {
    await installShop(new Date("2026-11-01T00:00:00Z"));
    const afterAuth = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await afterAuth.connect();
    try {
      await afterAuth.query("BEGIN");
      await afterAuth.query("SELECT 1 FROM shops WHERE domain = $1 FOR UPDATE", [shop]);
      const uninstall = recordUninstall(shop, new Date("2026-11-20T00:00:00Z")); // waits for the row
      await new Promise((resolve) => setTimeout(resolve, 200));
      await afterAuth.query("UPDATE shops SET authorized_at = now(), uninstalled_at = NULL WHERE domain = $1", [shop]);
      await afterAuth.query("COMMIT");

      expect(await uninstall).toBe(false);
    } finally {
      await afterAuth.end();
    }
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).uninstalledAt).toBeNull();
    expect(await prisma.session.count({ where: { shop } })).toBe(1);
  });
});

describe("maintenance sweep", () => {
  beforeEach(resetState);

  it("re-adds the job of a recorded event that Redis lost", async () => {
    const lost = await prisma.webhookEvent.create({
      data: { shopDomain: shop, webhookId: randomUUID(), topic: "orders/create", receivedAt: new Date(Date.now() - 10 * 60_000) },
    });
    const fresh = await prisma.webhookEvent.create({ data: { shopDomain: shop, webhookId: randomUUID(), topic: "orders/create" } });

    const result = await maintenanceSweep();

    expect(result.webhookJobsRevived).toBe(1);
    expect(await jobState(lost.id)).toBe("waiting");
    expect(await jobState(fresh.id)).toBeUndefined();
  });

  it("re-runs a job that gave up while the database was unreachable, so the event is still applied", async () => {
    await installShop();
    const event = await prisma.webhookEvent.create({
      data: {
        shopDomain: shop,
        webhookId: randomUUID(),
        topic: "app/scopes_update",
        payload: JSON.stringify({ current: ["read_orders"] }),
        receivedAt: new Date(Date.now() - 10 * 60_000),
      },
    });
    // A worker whose every attempt fails without reaching PostgreSQL (so failed_at is never set);
    // without schedules, so only this test's sweep can revive the job.
    const outage = await startWorkers(
      {
        ...defaultHandlers,
        processWebhookEvent: async () => {
          throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
        },
      },
      { schedules: false },
    );
    await getQueue("webhooks").add(
      "process-webhook-event",
      { webhookEventId: String(event.id) },
      { jobId: `webhook-event-${event.id}`, attempts: 1 },
    );
    await eventually(async () => (await jobState(event.id)) === "failed");
    await outage.close();

    expect((await maintenanceSweep()).webhookJobsRevived).toBe(1);
    const workers = await startWorkers();
    try {
      await eventually(() => prisma.webhookEvent.findFirst({ where: { id: event.id, processedAt: { not: null } } }));
    } finally {
      await workers.close();
    }
    expect((await prisma.session.findFirstOrThrow({ where: { shop } })).scope).toBe("read_orders");
  });

  it("leaves parked failures to Shopify's repeat delivery instead of retrying them every minute", async () => {
    await prisma.webhookEvent.create({
      data: {
        shopDomain: shop,
        webhookId: randomUUID(),
        topic: "orders/create",
        receivedAt: new Date(Date.now() - 10 * 60_000),
        failedAt: new Date(),
      },
    });

    expect((await maintenanceSweep()).webhookJobsRevived).toBe(0);
  });

  it("purges applied events after 7 days and any event (with its body) after 30", async () => {
    const event = (webhookId: string, receivedDaysAgo: number, processedDaysAgo: number | null) =>
      prisma.webhookEvent.create({
        data: {
          shopDomain: shop,
          webhookId,
          topic: "orders/create",
          payload: "{}",
          receivedAt: new Date(Date.now() - receivedDaysAgo * DAY),
          processedAt: processedDaysAgo === null ? null : new Date(Date.now() - processedDaysAgo * DAY),
          failedAt: processedDaysAgo === null ? new Date() : null,
        },
      });
    await event("applied-long-ago", 9, 8);
    await event("applied-recently", 2, 1);
    await event("failed-long-ago", 31, null);
    await event("failed-recently", 3, null);

    expect((await maintenanceSweep()).webhookEventsPurged).toBe(2);
    expect((await prisma.webhookEvent.findMany({ orderBy: { webhookId: "asc" } })).map((e) => e.webhookId)).toEqual([
      "applied-recently",
      "failed-recently",
    ]);
  });

  it("asks for shop details once per shop, and again only an hour later if they still did not arrive", async () => {
    const missing = await makeShop({ domain: shopDomain("no-details") });
    await makeShop({ domain: shopDomain("fresh-details"), detailsSyncedAt: new Date() });
    const stale = await makeShop({ domain: shopDomain("stale-details"), detailsSyncedAt: new Date(Date.now() - 2 * DAY) });
    await makeShop({ domain: shopDomain("gone"), uninstalledAt: new Date() });

    const result = await maintenanceSweep();

    expect(result.shopDetailsRequested).toBe(2);
    const jobs = await getQueue("shops").getJobs(["waiting"]);
    expect(jobs.map((job) => job.data.shopId).sort()).toEqual([missing.id, stale.id].sort());
    expect(await claimShopsNeedingDetails(100)).toEqual([]);
    await prisma.shop.update({ where: { id: missing.id }, data: { detailsRequestedAt: new Date(Date.now() - 2 * 3600_000) } });
    expect(await claimShopsNeedingDetails(100)).toEqual([missing.id]);
  });
});

describe("the worker process", () => {
  let processes: ScriptProcess[] = [];
  const logEnv = { LOG_LEVEL: "info" };
  afterEach(() => {
    for (const child of processes) child.kill();
    processes = [];
  });

  it("starts, and stops cleanly on SIGTERM", async () => {
    const worker = new ScriptProcess("workers/index.ts", logEnv);
    processes.push(worker);
    await worker.waitForOutput(/"msg":"worker started"/);

    worker.signal("SIGTERM");

    expect(await worker.exited).toBe(0);
    expect(worker.output).toMatch(/"msg":"worker stopped"/);
  });

  it("refuses to start on a Redis whose maxmemory-policy is not noeviction", async () => {
    const redis = await ScratchRedis.start(["--maxmemory-policy", "allkeys-lru"]);
    try {
      const worker = new ScriptProcess("workers/index.ts", { ...logEnv, REDIS_URL: redis.url });
      processes.push(worker);

      expect(await worker.exited).toBe(1);
      expect(worker.output).toContain('Redis maxmemory-policy is \\"allkeys-lru\\"; BullMQ needs \\"noeviction\\"');
    } finally {
      await redis.stop();
    }
  });

  it("stops with a message naming a missing environment variable", async () => {
    const worker = new ScriptProcess("workers/index.ts", { SHOPIFY_API_SECRET: "" });
    processes.push(worker);

    expect(await worker.exited).not.toBe(0);
    expect(worker.output).toContain("SHOPIFY_API_SECRET is missing; expected the app's client secret");
  });

  it("lets an active job finish on SIGTERM before exiting", async () => {
    await getQueue("webhooks").obliterate({ force: true });
    const worker = new ScriptProcess("test/support/fixtures/slow-job-worker.ts", { ...logEnv, SLOW_JOB_MS: "1500" });
    processes.push(worker);
    await worker.waitForOutput(/"msg":"worker started"/);
    await enqueue("processWebhookEvent", { webhookEventId: "424242" });
    const job = await eventually(async () => {
      const found = await getQueue("webhooks").getJob("webhook-event-424242");
      return found && (await found.getState()) === "active" ? found : null;
    });

    worker.signal("SIGTERM");

    expect(await worker.exited).toBe(0);
    const finished = await getQueue("webhooks").getJob(job.id!);
    expect(await finished!.getState()).toBe("completed");
    expect(finished!.returnvalue).toBe("finished");
  });
});
