import pg from "pg";
import { databaseUrl } from "../support/services";
import { BenchEnvironment, ratioLine } from "./support/harness";

/**
 * Enrollment (the engine issue): 100,000 eligible customers enter a Live campaign — the
 * enrollment statement (audience, holdout draw, ramp) writes their rows, the dispatcher leases
 * every due step and the runSteps jobs go to BullMQ — against BullMQ's addBulk alone adding one
 * job per customer, the way an engine without rows in PostgreSQL would. Target ≥ 0.5× its
 * customers/s. BENCH_ENROLL sets how many customers (default 100,000).
 */

const SHOP = "bench-engine.myshopify.com";
const ADD_BULK_CHUNK = 1_000;

const seconds = (start: number) => (performance.now() - start) / 1000;
const perSecond = (count: number, s: number) => `${Math.round(count / s).toLocaleString("en")} customers/s`;

export async function benchEngine(): Promise<void> {
  const customers = Number(process.env.BENCH_ENROLL ?? 100_000);
  const bench = new BenchEnvironment();
  const client = new pg.Client({ connectionString: databaseUrl(bench.database) });
  try {
    await bench.setUp();
    await bench.useAppInProcess();
    const queues = await import("../../app/jobs/client.server");
    const registry = await import("../../app/jobs/registry");
    const { defaultCampaignSettings } = await import("../../app/domain/campaign");
    const { enrollEligible } = await import("../../app/models/enrollments.server");
    const { dispatchDueSteps } = await import("../../app/models/steps.server");
    const { liveCampaign, makeCustomers, makeShop, sql, US_ADDRESS } = await import("../support/factories");
    await client.connect();

    const shopId = (await makeShop({ domain: SHOP, syncedAt: new Date(), syncState: "completed", postalAddress: US_ADDRESS })).id;
    await makeCustomers(shopId, customers, {
      ordersCount: sql("1 + i % 7"),
      lastOrderAt: sql("now() - make_interval(days => 100 + i % 300)"),
    });
    await client.query("VACUUM ANALYZE customers");
    const settings = defaultCampaignSettings();
    settings.rampPerHour = 100_000;
    // Live without its first enrollment job: the benchmark runs the enrollment itself.
    const campaign = await liveCampaign(shopId, settings);
    const campaignId = campaign.id;

    console.log(`\nengine: ${customers.toLocaleString("en")} eligible customers enter a Live campaign (10% holdout)`);
    const now = new Date();
    let start = performance.now();
    const run = await enrollEligible(shopId, campaignId, campaign.settings, { now });
    const enrolledAt = seconds(start);
    const jobs = await dispatchDueSteps(customers * 2, { now: new Date(now.getTime() + 2 * 3600 * 1000) });
    const queue = queues.getQueue("engine");
    for (let i = 0; i < jobs.length; i += ADD_BULK_CHUNK) {
      await queue.addBulk(
        jobs.slice(i, i + ADD_BULK_CHUNK).map((job) => {
          const data = { shopId: job.shopId, enrollmentIds: job.enrollmentIds.map(String) };
          return { name: registry.jobs.runSteps.name, data, opts: registry.jobs.runSteps.options(data) };
        }),
      );
    }
    const ours = seconds(start);
    const dispatched = jobs.reduce((sum, job) => sum + job.enrollmentIds.length, 0);
    if (run.contacted + run.holdout !== customers || dispatched !== run.contacted) {
      throw new Error(
        `entered ${run.contacted} + ${run.holdout} holdout, dispatched ${dispatched}; expected ${customers} entered and every contacted one dispatched`,
      );
    }
    console.log(
      `  enrollment (rows, holdout, ramp) + dispatch (${jobs.length.toLocaleString("en")} runSteps jobs of up to 50): ${perSecond(customers, ours)} ` +
        `(${ours.toFixed(2)} s; the enrollment statement alone ${enrolledAt.toFixed(2)} s)`,
    );

    // The baseline: one job per customer, added in bulk, nothing else.
    const ids = (
      await client.query<{ id: string }>("SELECT id FROM enrollments WHERE campaign_id = $1 ORDER BY id", [campaignId])
    ).rows.map((row) => row.id);
    start = performance.now();
    for (let i = 0; i < ids.length; i += ADD_BULK_CHUNK) {
      await queue.addBulk(
        ids
          .slice(i, i + ADD_BULK_CHUNK)
          .map((id) => ({ name: "baseline-step", data: { shopId, enrollmentIds: [id] }, opts: { jobId: `baseline-${id}` } })),
      );
    }
    const baseline = seconds(start);
    console.log(`  BullMQ addBulk alone, one job per customer: ${perSecond(customers, baseline)} (${baseline.toFixed(2)} s)`);
    console.log(`  ${ratioLine("enrollment", 1 / ours, 1 / baseline, "≥ 0.5×")}`);
  } finally {
    await client.end().catch(() => {});
    await bench.tearDown();
  }
}
