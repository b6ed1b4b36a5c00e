import pg from "pg";
import { databaseUrl } from "../support/services";
import { BenchEnvironment } from "./support/harness";

/**
 * Storage (the production-service issue): what a shop's data costs on disk, as bytes per row with
 * the table's indexes and TOAST, at 1,000,000 customers (3 orders each) and 1,000,000 sent e-mails
 * (with their enrollments). Realistic rows: names, addresses, consent, scores; orders with their
 * products and a code; e-mails with their dozen tracked links, Message-ID and offer. For the
 * record (README "Running in production"), no baseline. BENCH_STORAGE_CUSTOMERS changes the size.
 */

const TABLES = ["customers", "orders", "enrollments", "email_sends", "discount_codes"] as const;

export async function benchStorage(): Promise<void> {
  const customers = Number(process.env.BENCH_STORAGE_CUSTOMERS ?? 1_000_000);
  const bench = new BenchEnvironment();
  const client = new pg.Client({ connectionString: databaseUrl(bench.database) });
  try {
    await bench.setUp();
    await bench.useAppInProcess({ NODE_ENV: "test" });
    const { liveCampaign, makeCustomers, makeEnrollments, makeOrders, makeShop, sql } = await import("../support/factories");
    await client.connect();
    console.log(`\nstorage: ${customers.toLocaleString("en")} customers, 3 orders each, one sent e-mail each`);
    const start = performance.now();

    const shopId = (await makeShop({ name: "Bench Storage", currencyCode: "EUR" })).id;
    const campaignId = (await liveCampaign(shopId)).id;
    await makeCustomers(shopId, customers, {
      email: sql("'customer' || i || '@example-mail.com'"),
      firstName: sql("'First' || i"),
      lastName: sql("'Lastname' || i"),
      locale: "en-GB",
      ordersCount: 3,
      totalSpent: sql("60 + i % 400"),
      rScore: sql("1 + i % 5"),
      fScore: sql("1 + (i / 5) % 5"),
      mScore: sql("1 + (i / 25) % 5"),
      shopifyRfmGroup: "AT_RISK",
    });
    for (let k = 0; k < 3; k++) {
      await makeOrders(
        shopId,
        customers,
        {
          customerId: sql(`i - ${k * customers}`),
          createdAt: sql("now() - make_interval(days => i % 700)"),
          total: sql("20 + i % 300"),
          discountCodes: sql("CASE WHEN i % 4 = 0 THEN ARRAY['WB-' || upper(md5(i::text))] ELSE '{}' END"),
          productIds: sql("ARRAY[7000000000 + i % 500, 7000000000 + i % 377, 7000000000 + i % 91]::bigint[]"),
        },
        { firstId: k * customers + 1 },
      );
    }
    await makeEnrollments(shopId, campaignId, customers, {
      status: "completed",
      enteredAt: sql("now() - make_interval(days => i % 60)"),
      lastStepSent: 1,
      endedAt: sql("now()"),
    });
    const template = (await client.query<{ id: number }>("SELECT template_ids[1] AS id FROM campaigns WHERE id = $1", [campaignId]))
      .rows[0]!.id;
    // A sent e-mail as the pipeline leaves it: its links as rendered, its Message-ID, and (step 2) its offer.
    await client.query(
      `INSERT INTO email_sends (shop_id, customer_id, template_id, campaign, step, status, attempts, message_id, links, offer,
                                created_at, sending_at, sent_at, opened_at, enrollment_id)
       SELECT e.shop_id, e.customer_id, $2::int, 'win-back', 1, 'sent', 1, '<wb-' || e.shop_id || '-' || e.id || '@mail.winback.example>',
              ARRAY(SELECT 'https://bench-storage.myshopify.com/products/product-handle-' || ((e.id + p) % 500) || '?variant=1' FROM generate_series(1, 10) p)
                || ARRAY['https://bench-storage.myshopify.com/discount/WB-CODE?redirect=/', 'https://bench-storage.myshopify.com/'],
              CASE WHEN e.id % 3 <> 0 THEN jsonb_build_object('code', 'WB-' || upper(substr(md5(e.id::text), 1, 16)), 'kind', 'percentage',
                                                               'value', 10, 'endsAt', now() + interval '14 days') END,
              e.entered_at, e.entered_at, e.entered_at, CASE WHEN e.id % 3 = 0 THEN e.entered_at END, e.id
       FROM enrollments e WHERE e.shop_id = $1`,
      [shopId, template],
    );
    await client.query(
      `INSERT INTO discount_codes (shop_id, enrollment_id, step, code, offer, ends_at, status, shopify_id, updated_at)
       SELECT e.shop_id, e.id, 2, 'WB-' || upper(substr(md5(e.id::text), 1, 16)),
              '{"kind":"percentage","value":10,"expiresAfterDays":14,"combinesWith":{"orderDiscounts":false,"productDiscounts":false,"shippingDiscounts":false}}',
              now() + interval '14 days', 'created', 'gid://shopify/DiscountCodeNode/' || (1000000000000 + e.id), now()
       FROM enrollments e WHERE e.shop_id = $1 AND e.id % 3 <> 0`,
      [shopId],
    );
    await client.query("VACUUM ANALYZE");
    console.log(`  data written in ${((performance.now() - start) / 1000).toFixed(1)} s`);

    let total = 0;
    for (const table of TABLES) {
      const { rows } = await client.query<{ rows: string; bytes: string; heap: string }>(
        `SELECT (SELECT count(*) FROM ${table}) AS rows, pg_total_relation_size('${table}') AS bytes, pg_relation_size('${table}') AS heap`,
      );
      const count = Number(rows[0]!.rows);
      const bytes = Number(rows[0]!.bytes);
      total += bytes;
      const perRow = count ? Math.round(bytes / count) : 0;
      console.log(
        `  ${table.padEnd(15)} ${count.toLocaleString("en").padStart(10)} rows  ${(bytes / 2 ** 20).toFixed(0).padStart(6)} MB` +
          `  ${String(perRow).padStart(5)} bytes/row (table ${Math.round(Number(rows[0]!.heap) / Math.max(count, 1))}, indexes and TOAST the rest)`,
      );
    }
    console.log(
      `  total ${(total / 2 ** 30).toFixed(2)} GB: ${Math.round(total / customers).toLocaleString("en")} bytes per customer with all of it`,
    );
  } finally {
    await client.end().catch(() => {});
    await bench.tearDown();
  }
}
