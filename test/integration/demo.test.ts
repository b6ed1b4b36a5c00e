import { readdir } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import { rm } from "node:fs/promises";
import { runDemo, summaryTable, type DemoSummary } from "../demo/demo";

// `npm run demo` at a small size, on this file's database and queues: everything it prints must
// be what the database holds, no e-mail may go out twice, every conversion counts once, and no
// process may be left behind.
const OUTBOX = `.cache/demo-test-outbox-${process.pid}`;

afterAll(() => rm(OUTBOX, { recursive: true, force: true }));

describe("the demo", () => {
  it("runs the campaign end to end and reports what the database holds", async () => {
    const lines: string[] = [];
    const summary: DemoSummary = await runDemo({
      customers: 200,
      secondsPerDay: 1,
      days: 18,
      seed: "demo-test",
      env: { DATABASE_URL: process.env.DATABASE_URL!, REDIS_URL: process.env.REDIS_URL!, QUEUE_PREFIX: process.env.QUEUE_PREFIX! },
      outboxDir: OUTBOX,
      log: (line) => lines.push(line),
    });
    const { pool } = await import("../../app/db.server");
    const one = async (sql: string) => Number(Object.values((await pool.query(sql)).rows[0]!)[0]);

    expect(lines.some((line) => line.startsWith("Back-fill: completed"))).toBe(true);
    expect(summary.entered).toBe(await one("SELECT count(*) FROM enrollments"));
    expect(summary.contacted + summary.holdout).toBe(summary.entered);
    expect(summary.holdout).toBe(await one("SELECT count(*) FROM enrollments WHERE holdout"));
    expect(summary.sentPerStep).toHaveLength(3);
    for (const [index, sent] of summary.sentPerStep.entries()) {
      expect(sent).toBe(
        await one(`SELECT count(*) FROM email_sends WHERE status = 'sent' AND step = ${index + 1} AND test_recipient IS NULL`),
      );
    }
    // No e-mail twice: one ledger row per enrollment and step, and one .eml per row sent.
    expect(await one("SELECT count(*) FROM (SELECT 1 FROM email_sends GROUP BY enrollment_id, step HAVING count(*) > 1) twice")).toBe(0);
    expect(summary.emails).toBe(summary.sentPerStep.reduce((total, sent) => total + sent, 0));
    expect((await readdir(OUTBOX)).length).toBe(summary.emails);
    expect(await one("SELECT count(*) FROM email_sends e JOIN enrollments n ON n.id = e.enrollment_id WHERE n.holdout")).toBe(0);

    // Every conversion once: one order per converted enrollment, no order counted for two.
    expect(summary.conversions.contacted).toBeGreaterThan(0);
    expect(summary.conversions.contacted).toBe(await one("SELECT count(*) FROM enrollments WHERE status = 'converted' AND NOT holdout"));
    expect(await one("SELECT count(*) - count(DISTINCT conversion_order_id) FROM enrollments WHERE status = 'converted'")).toBe(0);
    expect(summary.codesRedeemed).toBeGreaterThan(0);
    expect(summary.codesRedeemed).toBeLessThanOrEqual(summary.conversions.contacted);
    expect(summary.codesCreated).toBe(await one("SELECT count(*) FROM discount_codes WHERE shopify_id IS NOT NULL"));
    expect(Object.values(summary.exited).reduce((total, n) => total + n, 0)).toBe(
      await one("SELECT count(*) FROM enrollments WHERE status = 'exited'"),
    );
    expect(summary.exited.unsubscribed).toBeGreaterThan(0);
    expect(summaryTable(summary)).toContain(`E-mails sent, steps 1 / 2 / 3`);

    // Nothing keeps running: the web server is gone.
    await expect(fetch(`${summary.appUrl}/healthz`)).rejects.toThrow();
  }, 240_000);
});
