import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { env } from "../../app/env.server";
import { sessionStorage } from "../../app/shopify.server";
import { startWorkers, type RunningWorkers } from "../../workers/index";
import { maintenanceSweep } from "../../workers/processors/maintenance-sweep";
import { processWebhookEvent } from "../../workers/processors/webhook-event";
import { enqueue, getQueue } from "../../workers/queues";
import { postWebhook } from "../support/app-routes";
import { eventually, ScriptProcess } from "../support/processes";
import { ScratchRedis } from "../support/services";
import { offlineSession, shopDomain } from "../support/shopify";

const shop = shopDomain("worker-shop");

async function installShop(installedAt = new Date("2026-11-01T00:00:00Z")) {
  await sessionStorage.storeSession(offlineSession(shop, env.SCOPES));
  return prisma.shop.create({ data: { domain: shop, installedAt } });
}

async function processedEvent(webhookId: string) {
  return eventually(() => prisma.webhookEvent.findFirst({ where: { webhookId, processedAt: { not: null } } }));
}

async function resetState() {
  await prisma.webhookEvent.deleteMany();
  await prisma.session.deleteMany();
  await prisma.shop.deleteMany();
  for (const name of ["webhooks", "shops", "maintenance"] as const) await getQueue(name).obliterate({ force: true });
}

describe("worker processing webhook events", () => {
  let workers: RunningWorkers;
  beforeAll(async () => {
    workers = await startWorkers();
  });
  afterAll(() => workers.close());
  beforeEach(resetState);

  it("app/uninstalled marks the shop uninstalled, deletes its sessions and clears the payload", async () => {
    await installShop();
    const webhookId = randomUUID();
    const triggeredAt = "2026-11-20T12:00:00.000Z";

    await postWebhook({ topic: "app/uninstalled", shop, payload: { id: 1, name: "Worker shop" }, webhookId, triggeredAt });

    const event = await processedEvent(webhookId);
    expect(event.payload).toBeNull();
    expect(event.lastError).toBeNull();
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).uninstalledAt).toEqual(new Date(triggeredAt));
    expect(await prisma.session.count({ where: { shop } })).toBe(0);
  });

  it("ignores an app/uninstalled that predates the current install (late delivery after a reinstall)", async () => {
    await installShop(new Date("2026-11-21T00:00:00Z"));
    const webhookId = randomUUID();

    await postWebhook({ topic: "app/uninstalled", shop, payload: {}, webhookId, triggeredAt: "2026-11-20T12:00:00.000Z" });

    await processedEvent(webhookId);
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).uninstalledAt).toBeNull();
    expect(await prisma.session.count({ where: { shop } })).toBe(1);
  });

  it("app/scopes_update stores the granted scopes on the offline session", async () => {
    await installShop();
    const webhookId = randomUUID();

    await postWebhook({ topic: "app/scopes_update", shop, payload: { previous: ["read_orders"], current: ["read_orders", "read_customers"] }, webhookId });

    await processedEvent(webhookId);
    expect((await prisma.session.findFirstOrThrow({ where: { shop } })).scope).toBe("read_orders,read_customers");
  });

  it("shop/redact erases the shop, its sessions and its webhook records", async () => {
    const installed = await installShop(new Date("2026-01-01T00:00:00Z"));
    await prisma.shop.update({ where: { id: installed.id }, data: { uninstalledAt: new Date("2026-11-18T00:00:00Z") } });
    await postWebhook({ topic: "orders/create", shop, payload: { id: 5 } });

    await postWebhook({ topic: "shop/redact", shop, payload: { shop_domain: shop }, triggeredAt: "2026-11-20T00:00:00.000Z" });

    await eventually(async () => (await prisma.shop.count({ where: { domain: shop } })) === 0);
    await eventually(async () => (await prisma.webhookEvent.count({ where: { shopDomain: shop } })) === 0);
    expect(await prisma.session.count({ where: { shop } })).toBe(0);
  });

  it("retries a failing event with backoff and records why on the event", async () => {
    await installShop();
    const webhookId = randomUUID();

    await postWebhook({ topic: "app/scopes_update", shop, payload: { current: "not-a-list" }, webhookId });

    const event = await eventually(() => prisma.webhookEvent.findFirst({ where: { webhookId, lastError: { not: null } } }));
    expect(event.processedAt).toBeNull();
    expect(event.lastError).toMatch(/^ZodError: /);
    const job = await eventually(async () => {
      const found = await getQueue("webhooks").getJob(`webhook-event-${event.id}`);
      return found && (await found.getState()) === "delayed" ? found : null;
    });
    expect(job.attemptsMade).toBe(1);
  });

  it("parks an event it can never apply in the failed list, visibly", async () => {
    const event = await prisma.webhookEvent.create({
      data: { shopDomain: shop, webhookId: randomUUID(), topic: "products/create", payload: {} },
    });

    await enqueue("processWebhookEvent", { webhookEventId: String(event.id) });

    const job = await eventually(async () => {
      const found = await getQueue("webhooks").getJob(`webhook-event-${event.id}`);
      return found && (await found.getState()) === "failed" ? found : null;
    });
    expect(job.failedReason).toBe("no handler for webhook topic products/create");
    expect((await prisma.webhookEvent.findUniqueOrThrow({ where: { id: event.id } })).lastError).toBe(
      "no handler for topic products/create",
    );
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

describe("maintenance sweep", () => {
  beforeEach(resetState);

  it("re-enqueues recorded events whose job was lost, and purges old processed ones", async () => {
    const lost = await prisma.webhookEvent.create({
      data: { shopDomain: shop, webhookId: randomUUID(), topic: "orders/create", receivedAt: new Date(Date.now() - 10 * 60_000) },
    });
    const fresh = await prisma.webhookEvent.create({ data: { shopDomain: shop, webhookId: randomUUID(), topic: "orders/create" } });
    const old = await prisma.webhookEvent.create({
      data: {
        shopDomain: shop,
        webhookId: randomUUID(),
        topic: "orders/create",
        receivedAt: new Date(Date.now() - 9 * 24 * 3600_000),
        processedAt: new Date(Date.now() - 8 * 24 * 3600_000),
      },
    });

    const result = await maintenanceSweep();

    expect(result).toMatchObject({ webhookJobsRequeued: 1, webhookEventsPurged: 1 });
    expect(await getQueue("webhooks").getJob(`webhook-event-${lost.id}`)).toBeDefined();
    expect(await getQueue("webhooks").getJob(`webhook-event-${fresh.id}`)).toBeUndefined();
    expect(await prisma.webhookEvent.findUnique({ where: { id: old.id } })).toBeNull();
  });

  it("asks for the details of installed shops that have none or stale ones", async () => {
    const missing = await prisma.shop.create({ data: { domain: shopDomain("no-details") } });
    await prisma.shop.create({ data: { domain: shopDomain("fresh-details"), detailsSyncedAt: new Date() } });
    await prisma.shop.create({ data: { domain: shopDomain("gone"), uninstalledAt: new Date() } });

    const result = await maintenanceSweep();

    expect(result.shopDetailsRequested).toBe(1);
    const jobs = await getQueue("shops").getJobs(["waiting"]);
    expect(jobs.map((job) => job.data)).toEqual([{ shopId: missing.id }]);
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

  it("logs no personal data or tokens, even at trace level", async () => {
    await resetState();
    await installShop();
    const worker = new ScriptProcess("workers/index.ts", { LOG_LEVEL: "trace" });
    processes.push(worker);
    await worker.waitForOutput(/"msg":"worker started"/);
    const webhookId = randomUUID();

    await postWebhook({
      topic: "customers/create",
      shop,
      webhookId,
      payload: { id: 42, email: "jane.doe@example.com", first_name: "Jane", last_name: "Doe-Privacy", phone: "+34600111222" },
    });
    await processedEvent(webhookId);
    worker.signal("SIGTERM");
    await worker.exited;

    expect(worker.output).toMatch(/"msg":"worker stopped"/);
    for (const secret of ["jane.doe@example.com", "Doe-Privacy", "+34600111222", "totally_real_token"]) {
      expect(worker.output).not.toContain(secret);
    }
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
