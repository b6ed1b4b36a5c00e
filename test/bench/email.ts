import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { simpleParser } from "mailparser";
import { API_KEY, API_SECRET_KEY } from "@shopify/shopify-api/test-helpers";
import { ShopifyEmulator } from "../support/shopify-emulator/emulator";
import { SmtpSink } from "../support/smtp-sink";
import { databaseUrl } from "../support/services";
import { BenchEnvironment, cpuProfileEnv, ratioLine } from "./support/harness";

/**
 * The send pipeline (QUALITY.md, the e-mail issue): `send-emails` jobs (50 rows each) through BullMQ and the real
 * worker (`workers/index.ts` in a process of its own, as in production), each re-checking consent
 * and suppression, picking products in SQL, rendering the customer's e-mail and claiming the
 * ledger row before handing it to the pooled SMTP transport, against nodemailer alone (also a
 * process of its own) sending the same pre-rendered message to the same SMTP sink over as many
 * pooled connections, with as many messages in flight as the worker runs jobs.
 * Target ≥ 0.5× the baseline's e-mails/s. BENCH_EMAILS sets how many (default 2,000).
 */

const SHOP = "bench-email.myshopify.com";
const CONTENT = {
  subject: "We miss you, {{ customer.first_name }}",
  preheader: "{{ discount.value }} off, just for you",
  heading: "It's been {{ days_since_last_order }} days",
  body: "<p>Hi {{ customer.first_name }},</p><p>Here are a few things we think you'll like.</p>",
  buttonText: "Use my code",
  showOffer: true,
  showProducts: true,
  productCount: 6,
};
const OFFER = { code: "WB-7QK2M9XR4T8Z", kind: "percentage" as const, value: 15, endsAt: "2026-12-31T22:59:00Z" };

const JOB_SIZE = 50;

const seconds = (start: number) => (performance.now() - start) / 1000;
const perSecond = (count: number, s: number) => `${Math.round(count / s).toLocaleString("en")} e-mails/s`;

async function bulkImport(emulator: ShopifyEmulator, token: string, shopId: number): Promise<void> {
  const { computeAggregatesAndScores } = await import("../../app/models/backfill.server");
  const { importBulkResult } = await import("../../app/models/backfill/import.server");
  const { BACKFILL_PHASES, PHASES } = await import("../../app/models/backfill/phases");
  for (const phase of BACKFILL_PHASES) {
    const call = async (document: string, variables?: Record<string, unknown>) =>
      (await emulator.graphql(SHOP, token, JSON.stringify({ query: document, variables }))).body as {
        data: { currentBulkOperation?: { url: string } };
      };
    await call("mutation Start($query: String!) { bulkOperationRunQuery(query: $query, groupObjects: true) { bulkOperation { id } } }", {
      query: PHASES[phase].bulkQuery,
    });
    const failures = await emulator.bulkOperationsSettled();
    if (failures.length) throw new Error(failures.join("; "));
    await importBulkResult(shopId, phase, (await call("{ currentBulkOperation { url } }")).data.currentBulkOperation!.url);
  }
  await computeAggregatesAndScores(shopId);
}

export async function benchEmail(): Promise<void> {
  const emails = Number(process.env.BENCH_EMAILS ?? 2_000);
  const bench = new BenchEnvironment();
  const emulator = await ShopifyEmulator.start({ apiKey: API_KEY, apiSecret: API_SECRET_KEY });
  const sink = await SmtpSink.start();
  const client = new pg.Client({ connectionString: databaseUrl(bench.database) });
  const workDir = mkdtempSync(path.join(tmpdir(), "winback-bench-email-"));
  try {
    await bench.setUp();
    const childEnv = { ...bench.appEnv, SMTP_URL: sink.url };
    // The models used to set the store up, in this process, and the worker's child process.
    await bench.useAppInProcess(childEnv);
    const { env } = await import("../../app/env.server");
    const { saveShopDetails } = await import("../../app/models/shop.server");
    const { saveEmailTemplate } = await import("../../app/models/email-templates.server");
    const { createSend } = await import("../../app/models/send-ledger.server");
    const queues = await import("../../app/jobs/client.server");
    const { makeShop } = await import("../support/factories");
    const registry = await import("../../app/jobs/registry");
    await client.connect();

    emulator.addShop({ seed: "bench-email", customers: Math.max(2_000, emails), shopName: "bench-email" });
    const shopId = (await makeShop({ domain: SHOP, syncState: "completed" })).id;
    await saveShopDetails(shopId, {
      name: "Bench Email",
      contactEmail: "hello@bench-email.example",
      ianaTimezone: "Europe/Madrid",
      currencyCode: "EUR",
      primaryDomainUrl: "https://bench-email.example",
      postalAddress: { address1: "Calle Mayor 1", city: "Madrid", zip: "28013", country: "Spain", countryCodeV2: "ES" },
    });
    await bulkImport(emulator, emulator.issueAccessToken(SHOP), shopId);
    const saved = await saveEmailTemplate(shopId, CONTENT);
    if (!saved.ok) throw new Error(JSON.stringify(saved));

    // Subscribed buyers, each e-mailed at most three times: the products query runs for real customers.
    const recipients = (
      await client.query<{ id: string }>(
        "SELECT id FROM customers WHERE shop_id = $1 AND email_marketing_state = 'SUBSCRIBED' AND email IS NOT NULL AND orders_count > 0 ORDER BY id",
        [shopId],
      )
    ).rows.map((row) => BigInt(row.id));
    if (recipients.length * 3 < emails + 1) throw new Error(`only ${recipients.length} subscribed buyers for ${emails} e-mails`);
    const sendIds: bigint[] = [];
    for (let i = 0; i <= emails; i++) {
      sendIds.push(
        await createSend(shopId, {
          customerId: recipients[i % recipients.length]!,
          templateId: saved.id,
          campaign: "win-back",
          step: 1,
          offer: OFFER,
        }),
      );
    }
    // As the engine sends: jobs of up to 50 rows of one shop.
    const enqueueSends = (ids: bigint[]) => {
      const jobs = [];
      for (let start = 0; start < ids.length; start += JOB_SIZE) {
        const sendIds = ids.slice(start, start + JOB_SIZE).map(String);
        jobs.push({
          name: registry.jobs.sendEmails.name,
          data: { shopId, sendIds },
          opts: registry.jobs.sendEmails.options({ shopId, sendIds }),
        });
      }
      return queues.getQueue("email").addBulk(jobs);
    };
    const unsent = async () =>
      Number(
        (await client.query<{ count: string }>("SELECT count(*) FROM email_sends WHERE shop_id = $1 AND status <> 'sent'", [shopId]))
          .rows[0]!.count,
      );

    // The worker, and one e-mail first, parsed: the warm-up, and the message the baseline sends.
    const tsx = path.resolve("node_modules/tsx/dist/cli.mjs");
    await bench.startProcess(
      process.execPath,
      [tsx, path.resolve("workers/index.ts")],
      { ...childEnv, ...cpuProfileEnv() },
      async () => true,
    );
    await enqueueSends(sendIds.slice(0, 1));
    await sink.waitFor(1, 60_000);
    const sample = sink.received[0]!;
    sink.parse = false;

    console.log(
      `\ne-mail: ${emails.toLocaleString("en")} e-mails to an SMTP sink, ${env.SMTP_POOL_SIZE} pooled connections, worker concurrency ${env.WORKER_CONCURRENCY}`,
    );
    const start = performance.now();
    await enqueueSends(sendIds.slice(1));
    await sink.waitFor(1 + emails, 600_000);
    // Done when the ledger says so: a row is marked sent once the provider accepted it.
    while ((await unsent()) > 0) await new Promise((resolve) => setTimeout(resolve, 10));
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
      tsx,
      path.resolve("test/bench/support/nodemailer-child.ts"),
      JSON.stringify({ smtpUrl: sink.url, messageFile, count: emails, poolSize: env.SMTP_POOL_SIZE, concurrency: env.WORKER_CONCURRENCY }),
    ]);
    const baselineSeconds = (JSON.parse(stdout.trim().split("\n").at(-1)!) as { seconds: number }).seconds;
    if (sink.count - before !== emails) throw new Error(`the baseline delivered ${sink.count - before} of ${emails} e-mails`);
    console.log(
      `  nodemailer alone, the same pre-rendered message: ${perSecond(emails, baselineSeconds)} (${baselineSeconds.toFixed(1)} s)`,
    );
    console.log(`  ${ratioLine("send pipeline", 1 / pipelineSeconds, 1 / baselineSeconds, "≥ 0.5×")}`);
  } finally {
    await client.end().catch(() => {});
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
