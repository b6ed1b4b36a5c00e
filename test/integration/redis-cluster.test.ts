import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Redis } from "ioredis";
import prisma, { execute } from "../../app/db.server";
import { defaultCampaignSettings } from "../../app/domain/campaign";
import { enqueue } from "../../app/jobs/client.server";
import { QUEUE_NAMES, queuePrefix } from "../../app/jobs/define";
import { changeCampaignStatus, ensureReadyMadeCampaign, saveCampaignSettings } from "../../app/models/campaigns.server";
import { assertNoEviction, createRedisConnection, RedisPolicyError } from "../../app/redis.server";
import { startWorkers, type RunningWorkers } from "../../workers/index";
import { startAppServer } from "../support/app-server";
import { eventually } from "../support/processes";
import { installApp } from "../support/shopify-emulator";

// The queues on a Redis Cluster of three masters: the webhook door enqueues there, the worker
// runs every job from there (back-fill, enrollment, dispatch, steps, e-mails, webhooks), and a
// small campaign's e-mails go out once each.
const { cluster, emulator, sink, clock } = await vi.hoisted(async () => {
  const { ScratchRedisCluster } = await import("../support/services");
  const { startEmulator } = await import("../support/emulator-fixture");
  const redisCluster = await ScratchRedisCluster.start();
  process.env.REDIS_URL = redisCluster.url;
  return { cluster: redisCluster, ...(await startEmulator({ smtp: true, clock: "running" })) };
});

const SHOP = "cluster-shop.myshopify.com";
let workers: RunningWorkers;
let app: Awaited<ReturnType<typeof startAppServer>>;
let shopId: number;

beforeAll(async () => {
  app = await startAppServer();
  emulator.setAppUrl(app.url);
  emulator.addShop({ seed: "cluster", customers: 60, shopName: "cluster-shop" });
  workers = await startWorkers();
  ({ shopId } = await installApp(emulator, SHOP));
  await eventually(
    async () => (await prisma.shop.count({ where: { id: shopId, syncState: "completed", detailsSyncedAt: { not: null } } })) === 1,
    60_000,
  );
}, 120_000);

afterAll(async () => {
  await workers?.close();
  await app?.close();
  await emulator.close();
  await sink.close();
  await cluster.stop();
});

describe("on a Redis Cluster of three masters", () => {
  it("keeps each queue in one slot of its own, spread over the masters", async () => {
    const slotOwners = new Set<string>();
    const node = new Redis(cluster.nodes[0]!.url);
    try {
      const slots = await node.cluster("SLOTS");
      for (const name of QUEUE_NAMES) {
        const slot = (await node.cluster("KEYSLOT", `${queuePrefix(name, process.env.QUEUE_PREFIX!)}:${name}:wait`)) as number;
        const [, , [host, port] = []] = slots.find(([from, to]) => slot >= from && slot <= to)!;
        slotOwners.add(`${host}:${port}`);
      }
    } finally {
      node.disconnect();
    }
    expect(slotOwners.size).toBeGreaterThan(1);
  });

  it("refuses to run when any master may evict keys, naming it", async () => {
    const master = new Redis(cluster.nodes[2]!.url);
    const connection = createRedisConnection("producer");
    try {
      await assertNoEviction(connection);
      await master.config("SET", "maxmemory-policy", "allkeys-lru");
      const refusal = await assertNoEviction(connection).catch((error: Error) => error);
      expect(refusal).toBeInstanceOf(RedisPolicyError);
      expect((refusal as Error).message).toContain(`127.0.0.1:${cluster.nodes[2]!.port}`);
    } finally {
      await master.config("SET", "maxmemory-policy", "noeviction");
      master.disconnect();
      connection.disconnect();
    }
  });

  it("sends a Live campaign's e-mails once each and applies a webhook that converts a customer", async () => {
    const campaignId = await ensureReadyMadeCampaign(shopId);
    // Due at once, no quiet hours or habits to wait for; one step, so the run is short.
    await execute("UPDATE customers SET order_hours = '{}' WHERE shop_id = $1", [shopId]);
    const settings = defaultCampaignSettings();
    settings.holdoutPercent = 0;
    settings.frequencyCapHours = 0;
    settings.quietHours = { start: 0, end: 0 };
    settings.audience = { ...settings.audience, lapse: { kind: "inactivity", days: 30 } };
    settings.steps = [{ ...settings.steps[0]!, delayHours: 0 }];
    const saved = await saveCampaignSettings(shopId, campaignId, settings);
    if (!saved.ok) throw new Error(JSON.stringify(saved));

    expect(await changeCampaignStatus(shopId, campaignId, "go_live")).toMatchObject({ ok: true });
    await eventually(async () => (await prisma.enrollment.count({ where: { campaignId } })) > 0, 60_000);
    const entered = await prisma.enrollment.findMany({ where: { campaignId } });
    // The ramp spreads first e-mails over time: bring them all due now, then dispatch through the cluster.
    await execute("UPDATE enrollments SET next_step_due_at = now() WHERE campaign_id = $1 AND next_step = 1", [campaignId]);
    await enqueue("dispatchSteps", {});
    await eventually(
      async () => (await prisma.emailSend.count({ where: { enrollment: { campaignId }, status: "sent" } })) === entered.length,
      30_000,
    );

    await sink.waitFor(entered.length);
    const recipients = sink.received.flatMap((mail) => mail.envelope.to);
    expect(recipients).toHaveLength(entered.length);
    expect(new Set(recipients).size).toBe(entered.length);

    const buyer = entered[0]!;
    // Shopify's order times have whole seconds: a minute later, the order is surely after the entry.
    clock.advance(60_000);
    const { webhook } = emulator.placeOrder(SHOP, { customerId: Number(buyer.customerId) });
    await webhook!.settled;
    await eventually(async () => (await prisma.enrollment.findFirstOrThrow({ where: { id: buyer.id } })).status !== "active", 60_000);
  }, 150_000);
});
