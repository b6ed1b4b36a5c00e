import type { ChildProcess } from "node:child_process";
import { API_KEY, API_SECRET_KEY } from "@shopify/shopify-api/test-helpers";
import { ShopifyEmulator } from "../support/shopify-emulator/emulator";
import { SmtpSink } from "../support/smtp-sink";
import { emailBenchShop, type EmailBenchShop } from "./support/email-shop";
import { BenchEnvironment, ratioLine } from "./support/harness";

/**
 * Workers that scale out (QUALITY.md, "E-mails/s with 2 worker processes"): the same number of
 * e-mails (`send-emails` jobs of 50, as in `npm run bench email`) through one worker process, then
 * through two, to the same SMTP sink, each process with its own pool of SMTP connections and its
 * own claims. Each round first sends a warm-up batch (each process's connections opened, its code
 * compiled), then is timed from the first job queued to the last row recorded sent.
 * Target ≥ 1.4× with two processes on two cores. BENCH_SCALE_EMAILS sets how many per round (default 4,000).
 */

const WARM_UP = 200;

export async function benchScale(): Promise<void> {
  const emails = Number(process.env.BENCH_SCALE_EMAILS ?? 4_000);
  const bench = new BenchEnvironment();
  const emulator = await ShopifyEmulator.start({ apiKey: API_KEY, apiSecret: API_SECRET_KEY });
  const sink = await SmtpSink.start();
  sink.parse = false;
  let shop: EmailBenchShop | undefined;
  try {
    shop = await emailBenchShop(bench, emulator, sink, Math.max(2_000, 2 * (emails + WARM_UP)));
    const { env } = await import("../../app/env.server");
    console.log(
      `\nscale: ${emails.toLocaleString("en")} e-mails a round to one SMTP sink; per worker process ${env.SMTP_POOL_SIZE} SMTP connections, concurrency ${env.WORKER_CONCURRENCY}`,
    );
    const rates: number[] = [];
    for (const processes of [1, 2]) {
      const rate = await round(bench, shop, sink, processes, emails);
      rates.push(rate);
      console.log(`  ${processes} worker process${processes > 1 ? "es" : ""}: ${Math.round(rate).toLocaleString("en")} e-mails/s`);
    }
    console.log(`  ${ratioLine("two processes", rates[1]!, rates[0]!, "≥ 1.4× on 2 cores")}`);
  } finally {
    await shop?.close().catch(() => {});
    await emulator.close();
    await sink.close();
    await bench.tearDown();
  }
}

/** E-mails/s through `processes` worker processes, started for the round and stopped after it. */
async function round(bench: BenchEnvironment, shop: EmailBenchShop, sink: SmtpSink, processes: number, emails: number): Promise<number> {
  const warmUp = await shop.createSends(WARM_UP);
  const timed = await shop.createSends(emails);
  const workers: ChildProcess[] = [];
  for (let i = 0; i < processes; i++)
    workers.push(await bench.startProcess(shop.worker.command, shop.worker.args, shop.childEnv, async () => true));
  try {
    await shop.enqueueSends(warmUp);
    await sink.waitFor(sink.count + WARM_UP, 120_000);
    await shop.allSent(warmUp);

    const before = sink.count;
    const start = performance.now();
    await shop.enqueueSends(timed);
    await sink.waitFor(before + emails, 600_000);
    await shop.allSent(timed);
    return emails / ((performance.now() - start) / 1000);
  } finally {
    for (const worker of workers) await bench.stopProcess(worker);
  }
}
