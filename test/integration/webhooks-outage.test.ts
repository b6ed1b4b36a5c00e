import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it, vi } from "vitest";
import prisma from "../../app/db.server";
import { getQueue } from "../../app/jobs/client.server";
import { checkHealth } from "../../app/models/health.server";
import { postWebhook } from "../support/app-routes";
import { databaseUrl } from "../support/services";
import { shopDomain } from "../support/shopify";

// This file's Redis is a redis-server of its own, so the test can stop and restart it.
const scratchRedis = await vi.hoisted(async () => {
  const { ScratchRedis } = await import("../support/services");
  const redis = await ScratchRedis.start();
  process.env.REDIS_URL = redis.url;
  return redis;
});

afterAll(() => scratchRedis.stop());

const shop = shopDomain("outage-shop");
const payload = { id: 1, total_price: "10.00" };

/** Makes this file's database refuse connections and drops the open ones (as if PostgreSQL went away). */
async function setDatabaseReachable(reachable: boolean): Promise<void> {
  const database = new URL(process.env.DATABASE_URL!).pathname.slice(1);
  const admin = new pg.Client({ connectionString: databaseUrl("postgres") });
  await admin.connect();
  try {
    await admin.query(`ALTER DATABASE ${pg.escapeIdentifier(database)} WITH ALLOW_CONNECTIONS ${reachable}`);
    if (!reachable) {
      await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [
        database,
      ]);
    }
  } finally {
    await admin.end();
  }
}

describe("webhooks while a service is down", () => {
  it("answers 503 when Redis is down, keeps the event, and queues it when Shopify retries", async () => {
    const webhookId = randomUUID();
    await scratchRedis.stop();

    const during = await postWebhook({ topic: "orders/create", shop, payload, webhookId });

    expect(during.status).toBe(503);
    // Recorded before the enqueue failed: nothing Shopify sent is lost, and the retry completes it.
    expect(await prisma.webhookEvent.count({ where: { webhookId } })).toBe(1);

    await scratchRedis.start();
    const retry = await postWebhook({ topic: "orders/create", shop, payload, webhookId });

    expect(retry.status).toBe(200);
    const event = await prisma.webhookEvent.findFirstOrThrow({ where: { webhookId } });
    expect(event.deliveries).toBe(2);
    expect(await getQueue("webhooks").getJob(`webhook-event-${event.id}`)).toBeDefined();
    expect(await getQueue("webhooks").count()).toBe(1);
  });

  it("answers 503 when PostgreSQL is unreachable, writes nothing, and accepts Shopify's retry", async () => {
    const webhookId = randomUUID();
    await setDatabaseReachable(false);
    let during: Response;
    try {
      during = await postWebhook({ topic: "orders/create", shop, payload, webhookId });
    } finally {
      await setDatabaseReachable(true);
    }

    expect(during.status).toBe(503);
    expect(await prisma.webhookEvent.count({ where: { webhookId } })).toBe(0);

    const retry = await postWebhook({ topic: "orders/create", shop, payload, webhookId });
    expect(retry.status).toBe(200);
    expect(await prisma.webhookEvent.count({ where: { webhookId } })).toBe(1);
  });

  it("reports which dependency failed in its readiness (/readyz)", async () => {
    expect(await checkHealth()).toEqual({ ok: true, checks: { postgres: "ok", redis: "ok" } });

    await scratchRedis.stop();
    const down = await checkHealth();
    await scratchRedis.start();

    expect(down).toEqual({ ok: false, checks: { postgres: "ok", redis: "unreachable" } });
  });
});
