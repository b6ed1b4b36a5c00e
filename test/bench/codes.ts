import path from "node:path";
import pg from "pg";
import { API_KEY, API_SECRET_KEY } from "@shopify/shopify-api/test-helpers";
import { ShopifyEmulator } from "../support/shopify-emulator/emulator";
import { SmtpSink } from "../support/smtp-sink";
import { databaseUrl } from "../support/services";
import { BenchEnvironment } from "./support/harness";

/**
 * Personal discount codes against Shopify's cost bucket (the engine issue): the real worker (its
 * own process) runs a one-step campaign with a new code per customer against the emulator's
 * bucket (1,000 points, restoring 100 a second; a code costs 10). A full bucket pays for 100 codes
 * at once, then at most 10 codes a second can be created: the time taken is compared with the
 * shortest the bucket allows.
 * Target ≥ 0.9×, and zero codes lost (every customer's code created once). BENCH_CODES (default 500).
 */

const SHOP = "bench-codes.myshopify.com";
const COST_PER_CODE = 10;
const RESTORE_PER_SECOND = 100;
const BUCKET = 1_000;

export async function benchCodes(): Promise<void> {
  const codes = Number(process.env.BENCH_CODES ?? 500);
  const bench = new BenchEnvironment();
  const emulator = await ShopifyEmulator.start({
    apiKey: API_KEY,
    apiSecret: API_SECRET_KEY,
    bucket: { maximumAvailable: BUCKET, restoreRate: RESTORE_PER_SECOND },
  });
  const sink = await SmtpSink.start();
  sink.parse = false;
  const client = new pg.Client({ connectionString: databaseUrl(bench.database) });
  try {
    await bench.setUp();
    const childEnv = { ...bench.appEnv, SMTP_URL: sink.url, SHOPIFY_ADMIN_API_ORIGIN: emulator.origin };
    await bench.useAppInProcess(childEnv);
    const { installApp } = await import("../support/shopify-emulator/install");
    const { defaultCampaignSettings } = await import("../../app/domain/campaign");
    const { enrollEligible } = await import("../../app/models/enrollments.server");
    const { liveCampaign, makeCustomers } = await import("../support/factories");
    await client.connect();

    const state = emulator.addShop({ seed: "bench-codes", customers: codes, shopName: "bench-codes" });
    const { shopId } = await installApp(emulator, SHOP);
    await client.query(
      "UPDATE shops SET synced_at = now(), sync_state = 'completed', name = 'Bench Codes', postal_address = $2 WHERE id = $1",
      [shopId, JSON.stringify({ address1: "1 Main St", city: "Springfield", country: "United States" })],
    );
    // Every customer of the store lapsed and subscribed (over what the install may have imported already).
    const customers = [...state.customerSequence().scan(0, 1)].map(({ item }) => ({
      id: item.id,
      email: item.email,
      firstName: item.firstName,
    }));
    await makeCustomers(shopId, customers, { suppressedAt: null }, { onConflict: "update" });
    const settings = defaultCampaignSettings();
    settings.holdoutPercent = 0;
    settings.frequencyCapHours = 0;
    settings.quietHours = { start: 0, end: 0 };
    settings.rampPerHour = 100_000;
    settings.steps = [{ ...settings.steps[1]!, delayHours: 0 }];
    const campaign = await liveCampaign(shopId, settings);
    const run = await enrollEligible(shopId, campaign.id, campaign.settings, { now: new Date(Date.now() - 3600_000) });
    if (run.contacted !== codes) throw new Error(`${run.contacted} customers entered, expected ${codes}`);

    // The worker dispatches at once (its schedule's first run) and keeps at it every minute.
    const tsx = path.resolve("node_modules/tsx/dist/cli.mjs");
    await bench.startProcess(process.execPath, [tsx, path.resolve("workers/index.ts")], childEnv, async () => true);
    const created = async () =>
      Number((await client.query<{ count: string }>("SELECT count(*) FROM discount_codes WHERE status = 'created'")).rows[0]!.count);
    let firstAt = 0;
    const deadline = Date.now() + 15 * 60_000;
    for (let count = 0; count < codes; count = await created()) {
      if (!firstAt && count > 0) firstAt = performance.now();
      if (Date.now() > deadline) throw new Error(`only ${count} of ${codes} codes after 15 minutes`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // A full bucket pays for the first BUCKET / COST codes at once; every further code waits for
    // COST points at the restore rate: the shortest possible time for all of them.
    const seconds = (performance.now() - firstAt) / 1000;
    const shortest = (codes * COST_PER_CODE - BUCKET) / RESTORE_PER_SECOND;
    const inShopify = state.discounts.size;
    const rows = Number((await client.query<{ count: string }>("SELECT count(*) FROM discount_codes")).rows[0]!.count);
    console.log(
      `\ncodes: ${codes.toLocaleString("en")} personal codes through the worker, against a bucket of ${BUCKET} points restoring ${RESTORE_PER_SECOND}/s (a code costs ${COST_PER_CODE})`,
    );
    console.log(
      `  all ${codes} created in ${seconds.toFixed(1)} s from the first; the bucket allows it in ${shortest.toFixed(1)} s at best (${RESTORE_PER_SECOND / COST_PER_CODE} codes/s after its burst)`,
    );
    console.log(
      `  in Shopify: ${inShopify} discounts; our rows: ${rows}; lost or doubled: ${Math.abs(inShopify - codes) + Math.abs(rows - codes)}`,
    );
    console.log(`  codes: ${(shortest / seconds).toFixed(2)}× the theoretical maximum rate (target ≥ 0.9×, zero lost)`);
  } finally {
    await client.end().catch(() => {});
    await emulator.close();
    await sink.close();
    await bench.tearDown();
  }
}
