import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { execute, queryRow, queryRows } from "../../app/db.server";
import { defaultCampaignSettings } from "../../app/domain/campaign";
import { enqueue, getQueue } from "../../app/jobs/client.server";
import { engineNow } from "../../app/jobs/engine-now";
import { ensureReadyMadeCampaign, saveCampaignSettings } from "../../app/models/campaigns.server";
import { enrollEligible } from "../../app/models/enrollments.server";
import { interruptAbandonedSends } from "../../app/models/send-ledger.server";
import { eventually, ScriptProcess } from "../support/processes";
import { sendingShop } from "../support/sending-shop";
import { ScratchRedis } from "../support/services";
import type { SmtpSink } from "../support/smtp-sink";

// Worker processes as production runs them (`npm run worker`'s entry, each a child process with
// its own SMTP connections), the emulator as Shopify and real SMTP servers: three workers run a
// campaign to completion while one is killed with SIGKILL mid-send; and a worker stopped while it
// starts. The engine's clock runs 6 hours a second (DEMO_TIME_SCALE, in this process and the
// workers alike), so the campaign's second step and its completion come within seconds.
const { emulator, sinks } = await vi.hoisted(async () => {
  const { ShopifyEmulator } = await import("../support/shopify-emulator/emulator");
  const { SmtpSink } = await import("../support/smtp-sink");
  const { scaledClock } = await import("../../app/utils/engine-clock");
  const { API_KEY, API_SECRET_KEY } = await import("@shopify/shopify-api/test-helpers");
  const epoch = new Date();
  const clock = scaledClock(6 * 3600, epoch);
  const started = await ShopifyEmulator.start({
    apiKey: API_KEY,
    apiSecret: API_SECRET_KEY,
    clock,
    bucket: { maximumAvailable: 20_000, restoreRate: 2_000 },
  });
  Object.assign(process.env, {
    SHOPIFY_ADMIN_API_ORIGIN: started.origin,
    DEMO_TIME_SCALE: String(6 * 3600),
    DEMO_EPOCH: epoch.toISOString(),
  });
  return { emulator: started, sinks: await Promise.all([SmtpSink.start(), SmtpSink.start(), SmtpSink.start()]) };
});

const POOL = 5; // SMTP_POOL_SIZE's default: the connections of each worker
const CUSTOMERS = 120;
const logEnv = { LOG_LEVEL: "info" };
let processes: ScriptProcess[] = [];

const worker = async (sink: SmtpSink | null, env: Record<string, string> = {}) => {
  const child = new ScriptProcess("workers/index.ts", { ...logEnv, ...(sink ? { SMTP_URL: sink.url } : {}), ...env });
  processes.push(child);
  return child;
};

afterEach(() => {
  for (const child of processes) child.kill();
  processes = [];
});

afterAll(async () => {
  await emulator.close();
  for (const sink of sinks) await sink.close();
});

describe("three worker processes, one killed mid-send", () => {
  let shopId: number;
  let campaignId: number;
  let state: Awaited<ReturnType<typeof sendingShop>>["state"];

  beforeAll(async () => {
    ({ shopId, state } = await sendingShop(emulator, { seed: "scale-shop", customers: CUSTOMERS }));
    campaignId = await ensureReadyMadeCampaign(shopId);
    const settings = defaultCampaignSettings();
    settings.holdoutPercent = 0;
    settings.frequencyCapHours = 0;
    settings.quietHours = { start: 0, end: 0 };
    settings.rampPerHour = 100_000;
    settings.attributionWindowDays = 1;
    // Step 1 at once without a code, step 2 a day later with a code of its own lasting a day.
    settings.steps = [
      { ...settings.steps[0]!, delayHours: 0 },
      { ...settings.steps[1]!, delayHours: 24, offer: { use: "new", offer: { ...offerOf(settings.steps[1]!.offer), expiresInDays: 1 } } },
    ];
    const saved = await saveCampaignSettings(shopId, campaignId, settings);
    if (!saved.ok) throw new Error(JSON.stringify(saved));
    await execute("UPDATE campaigns SET status = 'live', live_since = now() WHERE id = $1", [campaignId]);
    const entered = await enrollEligible(shopId, campaignId, saved.campaign.settings, { now: engineNow() });
    expect(entered.contacted).toBe(CUSTOMERS);
  }, 60_000);

  it("sends every e-mail once and makes every code once; the crash leaves interrupted only what was on its connections", async () => {
    const [victimSink, ...otherSinks] = sinks;
    const victim = await worker(victimSink!);
    await victim.waitForOutput(/"msg":"worker started"/, 30_000);
    const stopDispatching = dispatchWhileIdle();
    try {
      // Once the victim has delivered some e-mails, its server stops answering: every one of its
      // connections then carries one message it has claimed and handed over. It dies right there.
      await victimSink!.waitFor(10, 60_000);
      victimSink!.holdNext = Infinity;
      await victimSink!.waitForHeld(POOL);
      victim.kill();
      expect(await victim.exited).toBeNull(); // killed by the signal

      const others = [await worker(otherSinks[0]!), await worker(otherSinks[1]!)];
      for (const other of others) await other.waitForOutput(/"msg":"worker started"/, 30_000);
      // BullMQ hands the victim's jobs to the others once their lock expires (30 s).
      await eventually(async () => (await unfinished(campaignId)) === 0, 180_000);
      // The sweep's part (every minute in the workers): rows of an owner that is gone.
      await interruptAbandonedSends();

      for (const other of others) other.signal("SIGTERM");
      for (const other of others) expect(await other.exited).toBe(0);
    } finally {
      stopDispatching();
    }

    const sends = await queryRows<{ status: string; messageId: string | null; step: number }>(
      "SELECT status, message_id, step FROM email_sends WHERE shop_id = $1",
      [shopId],
    );
    expect(sends).toHaveLength(2 * CUSTOMERS);
    const delivered = sinks.flatMap((sink) => sink.received.map((mail) => mail.parsed.messageId!));
    expect(new Set(delivered).size).toBe(delivered.length); // none twice
    const sent = sends.filter((send) => send.status === "sent");
    const interrupted = sends.filter((send) => send.status === "interrupted");
    expect(sent.length + interrupted.length).toBe(sends.length);
    expect(delivered.sort()).toEqual(sent.map((send) => send.messageId!).sort()); // every sent row once at a server
    // Undelivered: at most what was on the killed worker's connections, every one of them its own.
    expect(interrupted.length).toBeLessThanOrEqual(POOL);
    for (const send of interrupted) expect(delivered).not.toContain(send.messageId);
    console.log(`crash left ${interrupted.length} of ${sends.length} e-mails interrupted (in flight on ${POOL} connections)`);

    const codes = await queryRows<{ code: string; status: string }>("SELECT code, status FROM discount_codes WHERE shop_id = $1", [shopId]);
    expect(codes).toHaveLength(CUSTOMERS);
    expect(codes.every((code) => code.status === "created" || code.status === "deleted")).toBe(true);
    const inShopify = [...state.discounts.values()].flatMap((discount) => discount.codes.map((code) => code.code));
    expect(inShopify.sort()).toEqual(codes.map((code) => code.code).sort()); // every code once in Shopify
    expect(
      await queryRow<{ open: number }>("SELECT count(*)::int AS open FROM enrollments WHERE campaign_id = $1 AND status = 'active'", [
        campaignId,
      ]),
    ).toEqual({ open: 0 });
  }, 300_000);
});

describe("a worker stopped while it starts", () => {
  it("closes what it opened and exits 0 without taking a job", async () => {
    const redis = await ScratchRedis.start();
    try {
      redis.pause(); // its start-up check now waits for an answer that does not come
      const starting = await worker(null, { REDIS_URL: redis.url });
      await starting.waitForOutput(/"msg":"worker starting"/, 30_000);

      starting.signal("SIGTERM");

      expect(await starting.exited).toBe(0);
      expect(starting.output).toMatch(/"msg":"worker stopped"/);
      expect(starting.output).not.toMatch(/"msg":"worker started"/);
    } finally {
      redis.resume();
      await redis.stop();
    }
  });
});

/** The offer of a step that makes a new one. */
function offerOf(stepOffer: ReturnType<typeof defaultCampaignSettings>["steps"][number]["offer"]) {
  if (stepOffer.use !== "new") throw new Error("the ready-made step 2 makes a new code");
  return stepOffer.offer;
}

/** Enrollments not completed yet, plus sends not settled yet. */
async function unfinished(campaignId: number): Promise<number> {
  const row = await queryRow<{ open: number }>(
    `SELECT (SELECT count(*) FROM enrollments WHERE campaign_id = $1 AND status = 'active')
          + (SELECT count(*) FROM email_sends s JOIN enrollments e ON e.id = s.enrollment_id
             WHERE e.campaign_id = $1 AND s.status = 'pending') AS open`,
    [campaignId],
  );
  return Number(row!.open);
}

/**
 * As the demo does with its fast clock (the dispatcher's schedule is off then): a dispatch
 * whenever the engine's queue has nothing waiting or running, so no lease runs out under a job
 * that is only queued. Returns the function that stops it.
 */
function dispatchWhileIdle(): () => void {
  let stopped = false;
  void (async () => {
    while (!stopped) {
      const counts = await getQueue("engine")
        .getJobCounts("waiting", "active", "prioritized")
        .catch(() => ({ waiting: 1, active: 0, prioritized: 0 }));
      if (counts.waiting! + counts.active! + counts.prioritized! === 0) await enqueue("dispatchSteps", {}).catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  return () => {
    stopped = true;
  };
}
