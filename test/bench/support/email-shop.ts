import path from "node:path";
import pg from "pg";
import type { ShopifyEmulator } from "../../support/shopify-emulator/emulator";
import { databaseUrl } from "../../support/services";
import type { SmtpSink } from "../../support/smtp-sink";
import type { BenchEnvironment } from "./harness";

/**
 * The store the e-mail benchmarks send for (`email`, `scale`): an emulated shop back-filled
 * through the real bulk import (customers, orders, products: the products query runs for real
 * customers), its details and one step's template saved, and send rows created and queued as the
 * engine does (`send-emails` jobs of 50 rows).
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
export const JOB_SIZE = 50;

export interface EmailBenchShop {
  shopId: number;
  /** The worker's environment (the bench's database and queues, the sink as SMTP server). */
  childEnv: Record<string, string>;
  /** Command and arguments of `npm run worker`'s entry. */
  worker: { command: string; args: string[] };
  /** New send rows, for subscribed buyers in turn (each e-mailed a few times at most). */
  createSends(count: number): Promise<bigint[]>;
  /** As the engine sends: jobs of up to 50 rows. */
  enqueueSends(ids: bigint[]): Promise<unknown>;
  /** Resolves once every one of these rows is recorded sent (a row is marked sent once the provider accepted it). */
  allSent(ids: bigint[], timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

async function bulkImport(emulator: ShopifyEmulator, token: string, shopId: number): Promise<void> {
  const { computeAggregatesAndScores } = await import("../../../app/models/backfill.server");
  const { importBulkResult } = await import("../../../app/models/backfill/import.server");
  const { BACKFILL_PHASES, PHASES } = await import("../../../app/models/backfill/phases");
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

/** The shop, for `customers` emulated customers (enough subscribed buyers for three e-mails each of what the benchmark sends). */
export async function emailBenchShop(
  bench: BenchEnvironment,
  emulator: ShopifyEmulator,
  sink: SmtpSink,
  customers: number,
): Promise<EmailBenchShop> {
  await bench.setUp();
  const childEnv = { ...bench.appEnv, SMTP_URL: sink.url };
  // The models used to set the store up, in this process, and the worker's child process.
  await bench.useAppInProcess(childEnv);
  const { saveShopDetails } = await import("../../../app/models/shop.server");
  const { saveEmailTemplate } = await import("../../../app/models/email-templates.server");
  const { createSend } = await import("../../../app/models/send-ledger.server");
  const queues = await import("../../../app/jobs/client.server");
  const { makeShop } = await import("../../support/factories");
  const registry = await import("../../../app/jobs/registry");
  const client = new pg.Client({ connectionString: databaseUrl(bench.database) });
  await client.connect();

  emulator.addShop({ seed: "bench-email", customers, shopName: "bench-email" });
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
  const recipients = (
    await client.query<{ id: string }>(
      "SELECT id FROM customers WHERE shop_id = $1 AND email_marketing_state = 'SUBSCRIBED' AND email IS NOT NULL AND orders_count > 0 ORDER BY id",
      [shopId],
    )
  ).rows.map((row) => BigInt(row.id));
  let next = 0;

  const sentAmong = async (ids: bigint[]) =>
    Number(
      (
        await client.query<{ count: string }>("SELECT count(*) FROM email_sends WHERE shop_id = $1 AND id = ANY($2) AND status = 'sent'", [
          shopId,
          ids.map(String),
        ])
      ).rows[0]!.count,
    );
  return {
    shopId,
    childEnv,
    worker: { command: process.execPath, args: [path.resolve("node_modules/tsx/dist/cli.mjs"), path.resolve("workers/index.ts")] },
    async createSends(count) {
      if (next + count > recipients.length * 3) throw new Error(`only ${recipients.length} subscribed buyers for ${next + count} e-mails`);
      const ids: bigint[] = [];
      for (let i = 0; i < count; i++, next++) {
        const customerId = recipients[next % recipients.length]!;
        ids.push(await createSend(shopId, { customerId, templateId: saved.id, campaign: "win-back", step: 1, offer: OFFER }));
      }
      return ids;
    },
    enqueueSends(ids) {
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
    },
    async allSent(ids, timeoutMs = 600_000) {
      const deadline = Date.now() + timeoutMs;
      while ((await sentAmong(ids)) < ids.length) {
        if (Date.now() > deadline) throw new Error(`only ${await sentAmong(ids)} of ${ids.length} e-mails sent in time`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    close: () => client.end(),
  };
}
