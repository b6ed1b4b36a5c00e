import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import type { Lift } from "../../app/domain/lift";
import { scaledClock } from "../../app/utils/engine-clock";
import { buildApp, startBuiltApp, type RunningApp } from "../support/built-app";
import { eventually } from "../support/processes";
import type { ShopifyEmulator } from "../support/shopify-emulator/emulator";

/**
 * The whole product on one machine, without a Shopify account: a seeded store in the emulator,
 * the app installed (offline session), the back-fill, the web server (`npm start`) and the worker
 * (`npm run worker`) against it, the ready-made Win-Back campaign put Live through the model code
 * the editor uses, and three weeks of the campaign in compressed time (DEMO_TIME_SCALE: the
 * engine's clock, and the emulator's, run `secondsPerDay` real seconds to a day). Some customers
 * order with their code, some on their own, some unsubscribe through the e-mail's own link.
 * Returns the summary, read from the database.
 */

export interface DemoOptions {
  customers: number;
  /** Real seconds per simulated day. */
  secondsPerDay: number;
  /** Simulated days to run after going Live (the last step is day 10; codes end by day 17). */
  days: number;
  seed: string;
  /** The process environment the app parts share: DATABASE_URL (migrated), REDIS_URL, QUEUE_PREFIX. */
  env: Record<string, string>;
  outboxDir: string;
  log: (line: string) => void;
  /** Aborted (Ctrl-C): the demo stops where it is and cleans up. */
  signal?: AbortSignal;
}

export interface DemoSummary {
  shop: string;
  currency: string;
  entered: number;
  holdout: number;
  contacted: number;
  sentPerStep: number[];
  codesCreated: number;
  codesRedeemed: number;
  conversions: { contacted: number; holdout: number };
  revenue: number;
  discountCost: number;
  exited: Record<string, number>;
  lift: Lift;
  outbox: string;
  emails: number;
  appUrl: string;
}

const SHOP_NAME = "winback-demo";
const DAY_MS = 86_400_000;
export const DEMO_APP_CREDENTIALS = { SHOPIFY_API_KEY: "winback-demo-key", SHOPIFY_API_SECRET: "winback-demo-secret-not-for-production" };

/** A number in [0, 1) fixed by its inputs: the same customers behave the same in every run. */
function chance(...parts: (string | number | bigint)[]): number {
  return createHash("sha256").update(parts.join(":")).digest().readUInt32BE(0) / 2 ** 32;
}

type Action = { at: number; kind: "order_with_code" | "own_order" | "unsubscribe"; customerId: number; code?: string; sendId?: string };

export async function runDemo(options: DemoOptions): Promise<DemoSummary> {
  const scale = Math.round(86_400 / options.secondsPerDay);
  // Real time until the campaign goes Live (the back-fill), then the worker's scaled clock.
  let epoch: Date | null = null;
  let scaled: (() => Date) | null = null;
  const clock = () => (scaled ? scaled() : new Date());
  const day = () => (epoch ? (clock().getTime() - epoch.getTime()) / DAY_MS : 0);
  const children: ChildProcess[] = [];
  let server: RunningApp | undefined;
  let emulator: ShopifyEmulator | undefined;
  let buildDir: string | undefined;
  const log = options.log;

  const shared = {
    ...options.env,
    ...DEMO_APP_CREDENTIALS,
    EMAIL_FROM_ADDRESS: "win-back@demo.winback.test",
    EMAIL_OUTBOX_DIR: options.outboxDir,
    LOG_LEVEL: "warn",
  };
  try {
    await rm(options.outboxDir, { recursive: true, force: true });
    const { ShopifyEmulator } = await import("../support/shopify-emulator/emulator");
    // Shopify Plus's GraphQL rate (1,000 points a second): at Standard's 100 a second the codes of
    // 5,000 customers alone would take the demo's whole three weeks.
    emulator = await ShopifyEmulator.start({ ...apiCredentials(), clock, bucket: { maximumAvailable: 10_000, restoreRate: 1_000 } });
    const store = emulator.addShop({ seed: options.seed, customers: options.customers, shopName: SHOP_NAME });
    log(`Store: ${store.domain} in the local Shopify emulator, ${options.customers.toLocaleString("en")} customers with order history`);

    log("Building the app (npm run build)…");
    buildDir = await buildApp();
    server = await startBuiltApp(buildDir, (baseUrl) => ({
      ...shared,
      SHOPIFY_APP_URL: baseUrl,
      SHOPIFY_ADMIN_API_ORIGIN: emulator!.origin,
    }));
    emulator.setAppUrl(server.baseUrl);
    const appEnv = { ...shared, SHOPIFY_APP_URL: server.baseUrl, SHOPIFY_ADMIN_API_ORIGIN: emulator.origin };
    let workerErrors = "";
    const startWorker = (extraEnv: Record<string, string> = {}) => {
      const child = spawn("npm", ["run", "--silent", "worker"], {
        env: { ...process.env, ...appEnv, NODE_ENV: "development", ...extraEnv },
        stdio: ["ignore", "ignore", "pipe"],
        detached: true,
      });
      child.stderr!.on("data", (chunk: Buffer) => (workerErrors = (workerErrors + chunk.toString()).slice(-4000)));
      children.push(child);
      return child;
    };
    let worker = startWorker();
    log(`Web server ${server.baseUrl} (npm start) and worker (npm run worker) started`);

    // This process uses the app's own modules (install, Go Live, the summary), on the same services.
    Object.assign(process.env, appEnv);
    const { default: prisma, pool } = await import("../../app/db.server");
    const { installApp } = await import("../support/shopify-emulator/install");
    const { changeCampaignStatus, ensureReadyMadeCampaign } = await import("../../app/models/campaigns.server");
    const { campaignResults } = await import("../../app/models/results.server");
    const queues = await import("../../app/jobs/client.server");

    const { shopId } = await installApp(emulator, store.domain);
    let lastLine = "";
    await eventually(async () => {
      options.signal?.throwIfAborted();
      if (worker.exitCode !== null) throw new Error(`the worker stopped:\n${workerErrors}`);
      const shop = await prisma.shop.findUniqueOrThrow({ where: { id: shopId } });
      const line = `Back-fill: ${shop.syncState}${shop.syncPhase ? ` (${shop.syncPhase})` : ""} · ${shop.customersImported} customers, ${shop.ordersImported} orders, ${shop.productsImported} products`;
      if (line !== lastLine) log((lastLine = line));
      if (shop.syncState === "failed") throw new Error(`the back-fill failed: ${shop.syncError}`);
      return shop.syncState === "completed" && shop.detailsSyncedAt !== null && shop.scoredAt !== null;
    }, 10 * 60_000);

    // The worker again, now with the demo's clock: from here a day takes `secondsPerDay`.
    await stopProcess(worker);
    epoch = new Date();
    scaled = scaledClock(scale, epoch);
    worker = startWorker({ DEMO_TIME_SCALE: String(scale), DEMO_EPOCH: epoch.toISOString() });
    const campaignId = await ensureReadyMadeCampaign(shopId);
    const live = await changeCampaignStatus(shopId, campaignId, "go_live", {}, { now: clock() });
    if (!live.ok) throw new Error(`Go Live was refused: ${"reason" in live ? live.reason : "no campaign"}`);
    log(`Win-Back campaign is Live (1 day = ${options.secondsPerDay} s; steps on days 0, 4 and 10; codes 10% then 15%)`);
    await eventually(async () => (await prisma.enrollment.count({ where: { campaignId } })) > 0, 60_000);

    // The customers' side: decided per customer from a hash, acted out at their moment.
    const actions: Action[] = [];
    const acted = new Set<number>();
    for (const holdout of await prisma.enrollment.findMany({ where: { campaignId, holdout: true }, select: { customerId: true } })) {
      const customerId = Number(holdout.customerId);
      if (chance(options.seed, "holdout", customerId) < 0.06)
        actions.push({ at: (1 + 9 * chance(options.seed, "when", customerId)) * DAY_MS, kind: "own_order", customerId });
    }
    let lastSendId = 0n;
    let loggedDay = -1;
    const engine = queues.getQueue("engine");
    const busy = async (queue: typeof engine, states: ("waiting" | "active" | "delayed" | "prioritized")[]) =>
      Object.values(await queue.getJobCounts(...states)).some((count) => count > 0);
    while (day() < options.days) {
      options.signal?.throwIfAborted();
      if (worker.exitCode !== null) throw new Error(`the worker stopped:\n${workerErrors}`);
      // The next dispatch once the last one's steps are done (their lease is minutes of engine time).
      if (!(await busy(engine, ["waiting", "active", "prioritized"]))) await queues.enqueue("dispatchSteps", {});
      const sent = await pool.query<{ id: string; customer_id: string; step: number; code: string | null }>(
        `SELECT s.id, s.customer_id, s.step, s.offer->>'code' AS code FROM email_sends s
         WHERE s.shop_id = $1 AND s.status = 'sent' AND s.test_recipient IS NULL AND s.id > $2 ORDER BY s.id`,
        [shopId, String(lastSendId)],
      );
      for (const send of sent.rows) {
        lastSendId = BigInt(send.id);
        const customerId = Number(send.customer_id);
        const roll = chance(options.seed, customerId, send.step);
        const at = clock().getTime() - epoch.getTime() + (0.3 + 2 * chance(options.seed, "delay", customerId, send.step)) * DAY_MS;
        if (send.code && roll < 0.14) actions.push({ at, kind: "order_with_code", customerId, code: send.code });
        else if (roll > 0.97) actions.push({ at, kind: "own_order", customerId });
        else if (roll > 0.95) actions.push({ at, kind: "unsubscribe", customerId, sendId: send.id });
      }
      const now = clock().getTime() - epoch.getTime();
      for (const action of actions.filter((candidate) => candidate.at <= now && !acted.has(candidate.customerId))) {
        acted.add(action.customerId);
        await act(action);
      }
      if (Math.floor(day()) > loggedDay) {
        // A line a day of the campaign.
        loggedDay = Math.floor(day());
        const counts = await pool.query<{ step: number; n: string }>(
          "SELECT step, count(*) AS n FROM email_sends WHERE shop_id = $1 AND status = 'sent' AND test_recipient IS NULL GROUP BY step ORDER BY step",
          [shopId],
        );
        const converted = await prisma.enrollment.count({ where: { campaignId, status: "converted" } });
        log(
          `Day ${String(loggedDay).padStart(2)} · e-mails sent per step ${counts.rows.map((row) => row.n).join(" / ") || "0"} · conversions ${converted}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }

    async function act(action: Action): Promise<void> {
      try {
        if (action.kind === "unsubscribe") {
          const link = await unsubscribeLink(options.outboxDir, shopId, action.sendId!);
          if (link)
            await fetch(link, {
              method: "POST",
              body: "List-Unsubscribe=One-Click",
              headers: { "Content-Type": "application/x-www-form-urlencoded" },
            });
        } else {
          emulator!.placeOrder(store.domain, { customerId: action.customerId, discountCode: action.code });
        }
      } catch {
        // A code that ended or was deleted meanwhile: Shopify's checkout refuses it, the customer goes away.
      }
    }

    log("Waiting for the last webhooks and jobs…");
    // Scheduled jobs wait as "delayed" in engine and maintenance; webhooks have none, so their retries count.
    await eventually(
      async () =>
        !(await busy(queues.getQueue("webhooks"), ["waiting", "active", "delayed", "prioritized"])) &&
        !(await busy(engine, ["waiting", "active", "prioritized"])) &&
        !(await busy(queues.getQueue("email"), ["waiting", "active", "prioritized"])),
      60_000,
    ).catch(() => log("(some jobs were still running; the figures below are as of now)"));

    const results = await campaignResults(shopId, campaignId);
    const codes = await pool.query<{ created: string; redeemed: string }>(
      `SELECT count(*) FILTER (WHERE d.shopify_id IS NOT NULL) AS created,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM orders o WHERE o.shop_id = d.shop_id AND d.code = ANY(SELECT upper(c) FROM unnest(o.discount_codes) c))) AS redeemed
       FROM discount_codes d WHERE d.shop_id = $1`,
      [shopId],
    );
    const exits = await pool.query<{ reason: string; n: string }>(
      "SELECT exit_reason AS reason, count(*) AS n FROM enrollments WHERE campaign_id = $1 AND status = 'exited' GROUP BY 1 ORDER BY 1",
      [campaignId],
    );
    const emails = (await readdir(options.outboxDir).catch(() => [])).filter((name) => name.endsWith(".eml")).length;
    const { currencyCode } = await prisma.shop.findUniqueOrThrow({ where: { id: shopId }, select: { currencyCode: true } });
    return {
      shop: store.domain,
      currency: currencyCode ?? "USD",
      entered: results.entered,
      holdout: results.holdout,
      contacted: results.contacted,
      sentPerStep: results.steps.map((step) => step.sent),
      codesCreated: Number(codes.rows[0]!.created),
      codesRedeemed: Number(codes.rows[0]!.redeemed),
      conversions: results.conversions,
      revenue: results.revenue,
      discountCost: results.discountCost,
      exited: Object.fromEntries(exits.rows.map((row) => [row.reason, Number(row.n)])),
      lift: results.lift,
      outbox: path.resolve(options.outboxDir),
      emails,
      appUrl: server.baseUrl,
    };
  } finally {
    await Promise.all(children.map(stopProcess));
    await server?.stop();
    await emulator?.close();
    if (buildDir) await rm(buildDir, { recursive: true, force: true });
    const queues = await import("../../app/jobs/client.server").catch(() => null);
    await queues?.closeQueues();
  }
}

/** SIGTERM to the process group (npm and what it started), SIGKILL if it is still there after 10 s. */
async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
      return true;
    } catch {
      return false; // already gone
    }
  };
  if (!signal("SIGTERM")) return;
  const stopped = await Promise.race([
    exited.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 10_000)),
  ]);
  if (!stopped) signal("SIGKILL");
}

function apiCredentials() {
  return { apiKey: DEMO_APP_CREDENTIALS.SHOPIFY_API_KEY, apiSecret: DEMO_APP_CREDENTIALS.SHOPIFY_API_SECRET };
}

/** The unsubscribe link of a sent e-mail, as its List-Unsubscribe header carries it. */
async function unsubscribeLink(outboxDir: string, shopId: number, sendId: string): Promise<string | null> {
  const name = (await readdir(outboxDir)).find((file) => file.includes(`wb-${shopId}-${sendId}_`));
  if (!name) return null;
  const raw = await readFile(path.join(outboxDir, name), "utf8");
  return /^List-Unsubscribe:\s*<([^>]+)>/im.exec(raw)?.[1] ?? null;
}

/** The summary as a table for the terminal. */
export function summaryTable(summary: DemoSummary): string {
  const money = (amount: number) => new Intl.NumberFormat("en-US", { style: "currency", currency: summary.currency }).format(amount);
  const lift = summary.lift.enoughData
    ? `${(summary.lift.difference.value * 100).toFixed(1)} pts (95% CI ${(summary.lift.difference.low * 100).toFixed(1)} to ${(summary.lift.difference.high * 100).toFixed(1)}), ` +
      `${summary.lift.extraOrders.toFixed(1)} extra orders, ${money(summary.lift.extraRevenue)} extra revenue after discounts`
    : `not enough data yet (${summary.lift.reason})`;
  const rows: [string, string][] = [
    ["Customers entered", summary.entered.toLocaleString("en-US")],
    ["  of them holdout (never e-mailed)", summary.holdout.toLocaleString("en-US")],
    ["E-mails sent, steps 1 / 2 / 3", summary.sentPerStep.join(" / ")],
    ["Personal codes created in Shopify", String(summary.codesCreated)],
    ["Codes redeemed", String(summary.codesRedeemed)],
    ["Conversions, contacted / holdout", `${summary.conversions.contacted} / ${summary.conversions.holdout}`],
    ["Revenue of conversions (after refunds)", money(summary.revenue)],
    ["Discounts given", money(summary.discountCost)],
    [
      "Left the campaign",
      Object.entries(summary.exited)
        .map(([reason, n]) => `${n} ${reason.replaceAll("_", " ")}`)
        .join(", ") || "none",
    ],
    ["Lift against the holdout", lift],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join("\n");
}
