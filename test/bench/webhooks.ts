import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import autocannon from "autocannon";
import pg from "pg";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { API_SECRET_KEY, getHmac } from "@shopify/shopify-api/test-helpers";
import { queuePrefix } from "../../app/jobs/define";
import { databaseUrl, REDIS_URL } from "../support/services";
import { BenchEnvironment, ratioLine } from "./support/harness";

/**
 * Webhook ingest (QUALITY.md): verified + recorded + enqueued webhooks/s through the real route
 * under `npm start`, against a bare node:http server that only checks the HMAC, same load, same run.
 * Targets: ≥ 0.25× the baseline's requests/s; p99 < 250 ms at a steady 500 requests/s.
 */

const SHOP = "bench-shop.myshopify.com";
const CONNECTIONS = 50;
const WARMUP_S = 3;
const MEASURE_S = 10;
const STEADY_RATE = 500;

/** A realistic orders/create body (~3 KB), signed once: the HMAC covers the body, not the headers. */
function orderPayload(): string {
  const lineItems = Array.from({ length: 6 }, (_, i) => ({
    id: 866550311766439000 + i,
    product_id: 632910392 + i,
    variant_id: 808950810 + i,
    title: `Product ${i}`,
    quantity: 1 + (i % 3),
    price: "19.95",
    sku: `SKU-${i}`,
    vendor: "Bench Vendor",
  }));
  return JSON.stringify({
    id: 820982911946154500,
    admin_graphql_api_id: "gid://shopify/Order/820982911946154500",
    created_at: "2026-11-20T10:00:00-05:00",
    updated_at: "2026-11-20T10:00:00-05:00",
    currency: "EUR",
    total_price: "119.70",
    subtotal_price: "119.70",
    financial_status: "paid",
    customer: { id: 115310627314723950, admin_graphql_api_id: "gid://shopify/Customer/115310627314723950" },
    discount_codes: [{ code: "WB-7QK2M9XR4T8Z", amount: "11.97", type: "percentage" }],
    line_items: lineItems,
    note_attributes: [],
    tags: "",
  });
}

interface Run {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  ok: number;
  failed: number;
}

function runOf(result: autocannon.Result): Run {
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result["2xx"],
    failed: result.non2xx + result.errors + result.timeouts,
  };
}

/** The web stack's own ceiling: the same route answering GET with 405, no verification or storage. */
async function frameworkFloor(url: string): Promise<Run> {
  const result = await autocannon({ url: `${url}/webhooks/orders/create`, method: "GET", connections: CONNECTIONS, duration: MEASURE_S });
  return { ...runOf(result), ok: result.non2xx, failed: result["2xx"] + result.errors + result.timeouts };
}

async function load(url: string, body: string, seconds: number, rate?: number): Promise<Run> {
  const hmac = getHmac(body, API_SECRET_KEY);
  const result = await autocannon({
    url: `${url}/webhooks/orders/create`,
    method: "POST",
    connections: rate ? 20 : CONNECTIONS,
    duration: seconds,
    ...(rate ? { overallRate: rate } : {}),
    body,
    headers: {
      "content-type": "application/json",
      "x-shopify-topic": "orders/create",
      "x-shopify-shop-domain": SHOP,
      "x-shopify-api-version": "2026-10",
      "x-shopify-hmac-sha256": hmac,
      "x-shopify-triggered-at": "2026-11-20T15:00:00.000Z",
    },
    requests: [
      {
        // Every delivery is a new webhook, so the app really records and enqueues each one.
        setupRequest: (request) => {
          const id = randomUUID();
          request.headers = { ...request.headers, "x-shopify-webhook-id": id, "x-shopify-event-id": id };
          return request;
        },
      },
    ],
  });
  return runOf(result);
}

function describe(label: string, run: Run): string {
  return `${label.padEnd(34)} ${run.requestsPerSecond.toFixed(0).padStart(7)} req/s   p50 ${String(run.p50).padStart(4)} ms   p99 ${String(run.p99).padStart(4)} ms   ok ${run.ok}   failed ${run.failed}`;
}

/** Row and job counts once the server has finished the requests still in flight. */
async function settledCounts(bench: BenchEnvironment): Promise<{ rows: number; jobs: number }> {
  const client = new pg.Client({ connectionString: databaseUrl(bench.database) });
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue("webhooks", { connection, prefix: queuePrefix("webhooks", bench.queuePrefix) });
  await client.connect();
  try {
    let previous = { rows: -1, jobs: -1 };
    for (;;) {
      const rows = Number((await client.query("SELECT count(*) FROM webhook_events")).rows[0].count);
      const jobs = await queue.count();
      if (rows === previous.rows && jobs === previous.jobs) return { rows, jobs };
      previous = { rows, jobs };
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    await client.end();
    await queue.close();
    connection.disconnect();
  }
}

/** The app at one WEB_CONCURRENCY: its maximum, a steady 500 req/s, and the framework floor. */
async function measureApp(bench: BenchEnvironment, body: string, concurrency: number) {
  const app = await bench.startApp({ WEB_CONCURRENCY: String(concurrency) });
  try {
    const warmup = await load(app.url, body, WARMUP_S);
    const max = await load(app.url, body, MEASURE_S);
    const steady = await load(app.url, body, MEASURE_S, STEADY_RATE);
    const floor = await frameworkFloor(app.url);
    return { concurrency, warmup, max, steady, floor };
  } finally {
    await app.stop();
  }
}

export async function benchWebhooks(): Promise<void> {
  const bench = new BenchEnvironment();
  const body = orderPayload();
  try {
    await bench.setUp();
    execFileSync("npm", ["run", "build"], { stdio: "ignore", env: { ...process.env, ...bench.appEnv } });
    const bare = await bench.startTsServer("test/bench/support/bare-hmac-server.ts");

    await load(bare, body, WARMUP_S);
    const baseline = await load(bare, body, MEASURE_S);
    const runs = [await measureApp(bench, body, 1), await measureApp(bench, body, 2)];

    // Every 200 must be a stored row and a queued job: speed that loses events does not count.
    // autocannon stops counting at its deadline while the server finishes requests in flight,
    // so up to one request per connection may be stored without having been counted.
    const accepted = runs.reduce((sum, run) => sum + run.warmup.ok + run.max.ok + run.steady.ok, 0);
    const { rows, jobs } = await settledCounts(bench);
    const inFlight = CONNECTIONS * 3 * runs.length;
    const accountedFor = rows === jobs && rows >= accepted && rows - accepted <= inFlight;

    console.log("\nWebhook ingest (orders/create, ~3 KB body, " + CONNECTIONS + " connections)");
    console.log(describe("baseline: node:http + HMAC only", baseline));
    for (const run of runs) {
      const label = `WEB_CONCURRENCY=${run.concurrency}`;
      console.log(describe(`app (${label}): verify+record+enqueue`, run.max));
      console.log(describe(`app (${label}) at ${STEADY_RATE} req/s`, run.steady));
      console.log(describe(`app (${label}): GET→405 via Remix`, run.floor));
      console.log(ratioLine(`throughput at ${label}`, run.max.requestsPerSecond, baseline.requestsPerSecond, "≥ 0.25×, stretch 0.35×"));
      console.log(`p99 at ${STEADY_RATE} req/s (${label}): ${run.steady.p99} ms (target < 250 ms)`);
    }
    console.log(
      `answered 200: ${accepted}; rows stored: ${rows}; jobs queued: ${jobs}` +
        (accountedFor ? " (every accepted webhook stored and queued once)" : " (MISMATCH: events lost or doubled)"),
    );
  } finally {
    await bench.tearDown();
  }
}
