import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { simpleParser } from "mailparser";
import { API_KEY, API_SECRET_KEY } from "@shopify/shopify-api/test-helpers";
import { ShopifyEmulator } from "../support/shopify-emulator/emulator";
import { SmtpSink } from "../support/smtp-sink";
import { emailBenchShop, JOB_SIZE, type EmailBenchShop } from "./support/email-shop";
import { BenchEnvironment, cpuProfileEnv, ratioLine } from "./support/harness";

/**
 * The send pipeline (QUALITY.md, the e-mail issue): `send-emails` jobs (50 rows each) through BullMQ and the real
 * worker (`workers/index.ts` in a process of its own, as in production), each re-checking consent
 * and suppression, picking products in SQL, rendering the customer's e-mail and claiming the
 * ledger row before handing it to the pooled SMTP transport, against nodemailer alone (also a
 * process of its own) sending the same pre-rendered message to the same SMTP sink over as many
 * pooled connections, with as many messages in flight as the worker runs jobs.
 * Target ≥ 0.5× the baseline's e-mails/s, ≥ 0.6× at 10,000. BENCH_EMAILS sets how many (default 2,000).
 * BENCH_CPU_PROF=<dir>: the worker writes a CPU profile there when it stops.
 */

const seconds = (start: number) => (performance.now() - start) / 1000;
const perSecond = (count: number, s: number) => `${Math.round(count / s).toLocaleString("en")} e-mails/s`;

export async function benchEmail(): Promise<void> {
  const emails = Number(process.env.BENCH_EMAILS ?? 2_000);
  const bench = new BenchEnvironment();
  const emulator = await ShopifyEmulator.start({ apiKey: API_KEY, apiSecret: API_SECRET_KEY });
  const sink = await SmtpSink.start();
  const workDir = mkdtempSync(path.join(tmpdir(), "winback-bench-email-"));
  let shop: EmailBenchShop | undefined;
  try {
    shop = await emailBenchShop(bench, emulator, sink, Math.max(2_000, emails));
    const { env } = await import("../../app/env.server");
    const sendIds = await shop.createSends(1 + emails);

    // The worker, and one e-mail first, parsed: the warm-up, and the message the baseline sends.
    await bench.startProcess(shop.worker.command, shop.worker.args, { ...shop.childEnv, ...cpuProfileEnv() }, async () => true);
    await shop.enqueueSends(sendIds.slice(0, 1));
    await sink.waitFor(1, 60_000);
    const sample = sink.received[0]!;
    sink.parse = false;

    console.log(
      `\ne-mail: ${emails.toLocaleString("en")} e-mails to an SMTP sink, ${env.SMTP_POOL_SIZE} pooled connections, worker concurrency ${env.WORKER_CONCURRENCY}`,
    );
    const start = performance.now();
    await shop.enqueueSends(sendIds.slice(1));
    await sink.waitFor(1 + emails, 600_000);
    // Done when the ledger says so: a row is marked sent once the provider accepted it.
    await shop.allSent(sendIds);
    const pipelineSeconds = seconds(start);
    console.log(
      `  send pipeline (jobs of ${JOB_SIZE}: re-check → products → render → claim → SMTP): ${perSecond(emails, pipelineSeconds)} (${pipelineSeconds.toFixed(1)} s)`,
    );

    const parsed = await simpleParser(sample.raw);
    const messageFile = path.join(workDir, "message.json");
    writeFileSync(
      messageFile,
      JSON.stringify({
        from: parsed.from!.text,
        to: sample.envelope.to[0],
        replyTo: parsed.replyTo?.text,
        subject: parsed.subject,
        html: parsed.html,
        text: parsed.text,
        messageId: parsed.messageId,
        headers: { "List-Unsubscribe": header(sample.raw, "List-Unsubscribe"), "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
      }),
    );
    const before = sink.count;
    const { stdout } = await promisify(execFile)(process.execPath, [
      path.resolve("node_modules/tsx/dist/cli.mjs"),
      path.resolve("test/bench/support/nodemailer-child.ts"),
      JSON.stringify({ smtpUrl: sink.url, messageFile, count: emails, poolSize: env.SMTP_POOL_SIZE, concurrency: env.WORKER_CONCURRENCY }),
    ]);
    const baselineSeconds = (JSON.parse(stdout.trim().split("\n").at(-1)!) as { seconds: number }).seconds;
    if (sink.count - before !== emails) throw new Error(`the baseline delivered ${sink.count - before} of ${emails} e-mails`);
    console.log(
      `  nodemailer alone, the same pre-rendered message: ${perSecond(emails, baselineSeconds)} (${baselineSeconds.toFixed(1)} s)`,
    );
    console.log(`  ${ratioLine("send pipeline", 1 / pipelineSeconds, 1 / baselineSeconds, "≥ 0.5×; ≥ 0.6× at 10,000 e-mails")}`);
  } finally {
    await shop?.close().catch(() => {});
    await emulator.close();
    await sink.close();
    rmSync(workDir, { recursive: true, force: true });
    await bench.tearDown();
  }
}

/** One header of a raw message, unfolded. */
function header(raw: Buffer, name: string): string {
  const head = raw.toString("utf8", 0, raw.indexOf("\r\n\r\n")).replace(/\r\n[ \t]+/g, " ");
  const line = head.split("\r\n").find((candidate) => candidate.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line ? line.slice(name.length + 1).trim() : "";
}
