import { execFile } from "node:child_process";
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { promisify } from "node:util";
import pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import { API_KEY, API_SECRET_KEY } from "@shopify/shopify-api/test-helpers";
import type { AudienceRules } from "../../app/domain/audience";
import type { BackfillPhase } from "../../app/models/backfill/phases";
import { ShopifyEmulator } from "../support/shopify-emulator/emulator";
import { databaseUrl } from "../support/services";
import { BenchEnvironment, ratioLine } from "./support/harness";

/**
 * Customer intelligence at a million customers (QUALITY.md), on one emulated store:
 * - import: customers from Shopify's bulk JSONL into PostgreSQL (download, parse, COPY into
 *   staging, guarded upsert, progress) against a plain `COPY customers FROM STDIN` of the very rows
 *   the import stored. Target ≥ 0.5× its rows/s; the import runs in a child process whose peak RSS
 *   must stay under 512 MB. Orders, products, aggregates and scores follow and are reported too.
 * - scoring: R/F/M scoring plus the eligibility count of an "At risk, personal cadence" audience,
 *   as the app runs them, against one hand-written statement that scores and counts. Target ≤ 1.5×
 *   its time, on a first run (every score written) and at steady state (nothing changed).
 * BENCH_CUSTOMERS sets the store size (default 1,000,000).
 */

const SHOP = "bench-intelligence.myshopify.com";
const RULES: AudienceRules = {
  lapse: { kind: "cadence", multiplier: 1.5, fallbackDays: 90 },
  segment: { kind: "preset", preset: "at_risk" },
  checkoutQuietHours: 24,
  cooldownDays: 30,
};
const STEADY_RUNS = 3;

const START_BULK = `mutation Start($query: String!) {
  bulkOperationRunQuery(query: $query, groupObjects: true) { bulkOperation { id } userErrors { message } }
}`;
const CURRENT_BULK = `{ currentBulkOperation { status url objectCount } }`;

const seconds = (start: number) => (performance.now() - start) / 1000;
const rate = (rows: number, s: number) => `${Math.round(rows / s).toLocaleString("en")} rows/s`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Runs one bulk query on the emulator to the end; returns its result URL and line count. */
async function bulkResult(emulator: ShopifyEmulator, token: string, query: string): Promise<{ url: string; objects: number }> {
  const call = async (document: string, variables?: Record<string, unknown>) => {
    const { body } = await emulator.graphql(SHOP, token, JSON.stringify({ query: document, variables }));
    return body as {
      data: Record<
        string,
        { bulkOperation?: unknown; userErrors?: { message: string }[]; status?: string; url?: string; objectCount?: string }
      >;
    };
  };
  const started = await call(START_BULK, { query });
  if (!started.data.bulkOperationRunQuery!.bulkOperation) throw new Error(JSON.stringify(started.data.bulkOperationRunQuery!.userErrors));
  const failures = await emulator.bulkOperationsSettled();
  if (failures.length) throw new Error(failures.join("; "));
  const current = (await call(CURRENT_BULK)).data.currentBulkOperation!;
  if (current.status !== "COMPLETED" || !current.url) throw new Error(`bulk operation ended ${current.status}`);
  return { url: current.url, objects: Number(current.objectCount) };
}

interface ChildResult {
  seconds: Record<string, number>;
  peakRssMb: number;
}

/** Back-fill steps in a child process (see support/backfill-child.ts). */
async function inChild(
  bench: BenchEnvironment,
  task: { shopId: number; imports: { phase: BackfillPhase; url: string }[]; finish: boolean },
): Promise<ChildResult> {
  const tsx = path.resolve("node_modules/tsx/dist/cli.mjs");
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [tsx, path.resolve("test/bench/support/backfill-child.ts"), JSON.stringify(task)],
    {
      env: { ...process.env, ...bench.appEnv },
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as ChildResult;
}

export async function benchCustomers(): Promise<void> {
  const customerCount = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
  const bench = new BenchEnvironment();
  const workDir = mkdtempSync(path.join(tmpdir(), "winback-bench-"));
  const emulator = await ShopifyEmulator.start({ apiKey: API_KEY, apiSecret: API_SECRET_KEY });
  const client = new pg.Client({ connectionString: databaseUrl(bench.database) });
  let appDatabase: typeof import("../../app/db.server") | undefined;
  try {
    await bench.setUp();
    // The scoring half calls the app's models in this process; they read their configuration once, on import.
    Object.assign(process.env, bench.appEnv);
    const { PHASES } = await import("../../app/models/backfill/phases");
    appDatabase = await import("../../app/db.server");
    const { makeShop } = await import("../support/factories");
    await client.connect();

    const store = emulator.addShop({ seed: "bench-intelligence", customers: customerCount, shopName: "bench-intelligence" }).store;
    const token = emulator.issueAccessToken(SHOP);
    const shopId = (await makeShop({ domain: SHOP })).id;

    console.log(`\ncustomer intelligence: an emulated store of ${customerCount.toLocaleString("en")} customers`);
    let start = performance.now();
    const results = {
      customers: await bulkResult(emulator, token, PHASES.customers.bulkQuery),
      orders: await bulkResult(emulator, token, PHASES.orders.bulkQuery),
      products: await bulkResult(emulator, token, PHASES.products.bulkQuery),
    };
    console.log(`  (the emulator wrote the bulk JSONL in ${seconds(start).toFixed(1)} s; not measured below)`);

    // ── import ──
    const imported = await inChild(bench, { shopId, imports: [{ phase: "customers", url: results.customers.url }], finish: false });
    const rows = Number((await client.query("SELECT count(*) FROM customers WHERE shop_id = $1", [shopId])).rows[0].count);
    if (rows !== customerCount) throw new Error(`imported ${rows} customers, expected ${customerCount}`);

    // The baseline: the same rows, as the import stored them, copied back into an emptied table.
    const copyFile = path.join(workDir, "customers.copy");
    await pipeline(client.query(copyTo("COPY customers TO STDOUT")), createWriteStream(copyFile));
    await client.query("TRUNCATE customers");
    await client.query("CHECKPOINT");
    start = performance.now();
    await pipeline(createReadStream(copyFile), client.query(copyFrom("COPY customers FROM STDIN")));
    const copySeconds = seconds(start);

    const ours = imported.seconds.customers!;
    console.log(
      `  bulk JSONL import: ${rate(rows, ours)} (${ours.toFixed(1)} s), peak RSS ${imported.peakRssMb.toFixed(0)} MB (target < 512 MB)`,
    );
    console.log(`  COPY of the same rows: ${rate(rows, copySeconds)} (${copySeconds.toFixed(1)} s)`);
    console.log(`  ${ratioLine("import", 1 / ours, 1 / copySeconds, "≥ 0.5×")}`);

    const rest = await inChild(bench, {
      shopId,
      imports: [
        { phase: "orders", url: results.orders.url },
        { phase: "products", url: results.products.url },
      ],
      finish: true,
    });
    const orders = Number((await client.query("SELECT count(*) FROM orders WHERE shop_id = $1", [shopId])).rows[0].count);
    console.log(
      `  rest of the back-fill: ${orders.toLocaleString("en")} orders (${results.orders.objects.toLocaleString("en")} JSONL lines) in ${rest.seconds.orders!.toFixed(1)} s, ` +
        `${results.products.objects.toLocaleString("en")} product lines in ${rest.seconds.products!.toFixed(1)} s, ` +
        `aggregates and scores in ${rest.seconds.aggregatesAndScores!.toFixed(1)} s; peak RSS ${rest.peakRssMb.toFixed(0)} MB`,
    );

    // ── scoring + eligibility ──
    await benchScoring(client, shopId, store.options.now);
  } finally {
    await client.end().catch(() => {});
    await emulator.close();
    await appDatabase?.default.$disconnect();
    await appDatabase?.pool.end().catch(() => {});
    rmSync(workDir, { recursive: true, force: true });
    await bench.tearDown();
  }
}

/** The baseline: one statement, written by hand for this audience, that scores every buyer and counts. */
const HAND_WRITTEN = `
  WITH ranked AS (
    SELECT id,
           least(5, 1 + floor(5 * percent_rank() OVER (ORDER BY last_order_at)))::smallint AS r,
           least(5, 1 + floor(5 * percent_rank() OVER (ORDER BY orders_count)))::smallint AS f,
           least(5, 1 + floor(5 * percent_rank() OVER (ORDER BY total_spent)))::smallint AS m
    FROM customers WHERE shop_id = $1 AND orders_count > 0
  ), updated AS (
    UPDATE customers c SET r_score = ranked.r, f_score = ranked.f, m_score = ranked.m, updated_at = now()
    FROM ranked
    WHERE c.shop_id = $1 AND c.id = ranked.id AND (c.r_score, c.f_score, c.m_score) IS DISTINCT FROM (ranked.r, ranked.f, ranked.m)
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM updated) AS changed, count(*) AS eligible
  FROM customers c JOIN ranked ON ranked.id = c.id
  WHERE c.shop_id = $1 AND c.email_marketing_state = 'SUBSCRIBED' AND coalesce(c.email, '') <> '' AND c.suppressed_at IS NULL
    AND CASE WHEN c.median_gap_days IS NOT NULL THEN c.last_order_at < $2::timestamptz - make_interval(secs => greatest(1.5 * c.median_gap_days, 7) * 86400)
             ELSE c.last_order_at <= $2::timestamptz - interval '90 days' END
    AND ranked.r <= 2 AND ranked.f >= 4 AND ranked.m >= 4
    AND (c.last_checkout_at IS NULL OR c.last_checkout_at <= $2::timestamptz - interval '24 hours')
    AND (c.last_contacted_at IS NULL OR c.last_contacted_at <= $2::timestamptz - interval '30 days')`;

async function benchScoring(client: pg.Client, shopId: number, now: Date): Promise<void> {
  const { scoreShop } = await import("../../app/models/scoring.server");
  const { countEligible } = await import("../../app/models/audience.server");

  const resetScores = async () => {
    await client.query("UPDATE customers SET r_score = NULL, f_score = NULL, m_score = NULL WHERE shop_id = $1", [shopId]);
    await client.query("VACUUM ANALYZE customers");
  };
  const scoresDigest = async () =>
    (
      await client.query<{ digest: string }>(
        "SELECT md5(string_agg(concat_ws(':', id, r_score, f_score, m_score), ',' ORDER BY id)) AS digest FROM customers WHERE shop_id = $1",
        [shopId],
      )
    ).rows[0]!.digest;
  const time = async (work: () => Promise<number>) => {
    const start = performance.now();
    const eligible = await work();
    return { seconds: seconds(start), eligible };
  };
  const app = () => time(async () => (await scoreShop(shopId), await countEligible(shopId, RULES, { now })));
  const handWritten = () =>
    time(async () => Number((await client.query<{ eligible: string }>(HAND_WRITTEN, [shopId, now])).rows[0]!.eligible));

  await resetScores();
  const appFirst = await app();
  const appSteady = [];
  for (let i = 0; i < STEADY_RUNS; i++) appSteady.push(await app());
  const appDigest = await scoresDigest();

  await resetScores();
  const baseFirst = await handWritten();
  const baseSteady = [];
  for (let i = 0; i < STEADY_RUNS; i++) baseSteady.push(await handWritten());
  if ((await scoresDigest()) !== appDigest || baseFirst.eligible !== appFirst.eligible) {
    throw new Error(
      `the baseline does not do the same: ${baseFirst.eligible} eligible against the app's ${appFirst.eligible}, or different scores`,
    );
  }

  const appSteadyS = median(appSteady.map((run) => run.seconds));
  const baseSteadyS = median(baseSteady.map((run) => run.seconds));
  console.log(`  scoring + eligibility count (${appFirst.eligible.toLocaleString("en")} eligible, At risk with personal cadence):`);
  console.log(
    `    first run (every score written): app ${appFirst.seconds.toFixed(2)} s, hand-written statement ${baseFirst.seconds.toFixed(2)} s`,
  );
  console.log(
    `    steady state (median of ${STEADY_RUNS}, nothing changed): app ${appSteadyS.toFixed(2)} s, hand-written statement ${baseSteadyS.toFixed(2)} s`,
  );
  // Time ratios: lower is better, so the target is a ceiling.
  console.log(`    first run: ${(appFirst.seconds / baseFirst.seconds).toFixed(2)}× the baseline's time (target ≤ 1.5×)`);
  console.log(`    steady state: ${(appSteadyS / baseSteadyS).toFixed(2)}× the baseline's time (target ≤ 1.5×)`);
}
