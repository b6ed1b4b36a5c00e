import path from "node:path";
import { SmtpSink } from "../support/smtp-sink";
import { BenchEnvironment, ratioLine } from "./support/harness";

/**
 * Fairness between shops (the production-service issue): one shop with BENCH_FAIRNESS_BIG
 * (default 200,000) step-1 e-mails due at once — due before everyone else's — and 200 shops with
 * 50 each, through the real worker process (`npm run worker`'s entry, its dispatcher on its own
 * schedule plus one dispatch at the start) to an SMTP sink. Measured: the small shops' p95 time
 * to their first e-mail with the big shop there vs without it (target ≤ 1.5×), and the big shop's
 * own e-mails/s with the small shops there vs alone (target ≥ 0.9×).
 */

const SMALL_SHOPS = 200;
const SMALL_DUE = 50;

interface Scenario {
  label: string;
  big: number;
  small: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

export async function benchFairness(): Promise<void> {
  const bigDue = Number(process.env.BENCH_FAIRNESS_BIG ?? 200_000);
  const bench = new BenchEnvironment();
  const sink = await SmtpSink.start();
  sink.parse = false;
  // Each recipient's address names its shop: s<shop>c<customer>@bench.example.
  const arrivals: { shopId: number; at: number }[] = [];
  sink.onAccepted = (envelope) => arrivals.push({ shopId: Number(/^s(\d+)c/.exec(envelope.to[0]!)?.[1]), at: performance.now() });
  try {
    await bench.setUp();
    const workerEnv = { ...bench.appEnv, SMTP_URL: sink.url };
    await bench.useAppInProcess(workerEnv);
    const { liveCampaign, makeCustomers, makeEnrollments, makeShop, sql, US_ADDRESS } = await import("../support/factories");
    const { defaultCampaignSettings } = await import("../../app/domain/campaign");
    const { enqueue } = await import("../../app/jobs/client.server");
    const { execute } = await import("../../app/db.server");

    const settings = defaultCampaignSettings();
    Object.assign(settings, { holdoutPercent: 0, frequencyCapHours: 0, quietHours: { start: 0, end: 0 } });
    /** A shop with `count` step-1 e-mails, due in a day until the scenario starts. */
    const shopWithSteps = async (count: number) => {
      const { id: shopId } = await makeShop({ name: "Bench Fair", postalAddress: US_ADDRESS, ianaTimezone: "UTC", syncedAt: new Date() });
      const campaignId = (await liveCampaign(shopId, settings)).id;
      await makeCustomers(shopId, count, { email: sql(`'s${shopId}c' || i || '@bench.example'`) });
      await makeEnrollments(shopId, campaignId, count, { nextStep: 1, nextStepDueAt: sql("now() + interval '1 day'") });
      return shopId;
    };

    await bench.startProcess(process.execPath, ["--import", "tsx", path.resolve("workers/index.ts")], workerEnv, async () => true);
    console.log(
      `\nfairness: one shop with ${bigDue.toLocaleString("en")} e-mails due at once, ${SMALL_SHOPS} shops with ${SMALL_DUE} each`,
    );

    const run = async ({ label, big, small }: Scenario) => {
      const bigShop = big ? await shopWithSteps(big) : null;
      const smallShops: number[] = [];
      for (let i = 0; i < small; i++) smallShops.push(await shopWithSteps(SMALL_DUE));
      await execute("ANALYZE enrollments");
      arrivals.length = 0;
      const expected = sink.count + big + small * SMALL_DUE;
      const start = performance.now();
      // All due at once, the big shop's since before the others'.
      await execute("UPDATE enrollments SET next_step_due_at = now() - interval '10 minutes' WHERE shop_id = $1", [bigShop ?? 0]);
      await execute("UPDATE enrollments SET next_step_due_at = now() - interval '1 minute' WHERE shop_id = ANY($1::int[])", [smallShops]);
      await enqueue("dispatchSteps", {});
      await sink.waitFor(expected, 3_600_000);
      const firsts = smallShops.map((shopId) => arrivals.find((arrival) => arrival.shopId === shopId)!.at - start).sort((a, b) => a - b);
      const bigArrivals = arrivals.filter((arrival) => arrival.shopId === bigShop);
      const bigSeconds = bigArrivals.length ? (bigArrivals.at(-1)!.at - start) / 1000 : 0;
      const line = [`  ${label.padEnd(22)}`];
      if (firsts.length)
        line.push(
          `small shops' first e-mail p50 ${(percentile(firsts, 50) / 1000).toFixed(1)} s, p95 ${(percentile(firsts, 95) / 1000).toFixed(1)} s`,
        );
      if (bigArrivals.length) line.push(`big shop ${Math.round(bigArrivals.length / bigSeconds)} e-mails/s (${bigSeconds.toFixed(0)} s)`);
      console.log(line.join("; "));
      return { p95: firsts.length ? percentile(firsts, 95) : 0, bigRate: bigArrivals.length / bigSeconds };
    };

    await run({ label: "warm-up", big: 0, small: 20 });
    const smallAlone = await run({ label: "small shops alone", big: 0, small: SMALL_SHOPS });
    const bigAlone = await run({ label: "big shop alone", big: bigDue, small: 0 });
    const together = await run({ label: "all together", big: bigDue, small: SMALL_SHOPS });
    console.log(`  ${ratioLine("small shops' p95 to first e-mail, big shop present vs absent", together.p95, smallAlone.p95, "≤ 1.5×")}`);
    console.log(`  ${ratioLine("big shop's e-mails/s, small shops present vs alone", together.bigRate, bigAlone.bigRate, "≥ 0.9×")}`);
  } finally {
    await sink.close();
    await bench.tearDown();
  }
}
