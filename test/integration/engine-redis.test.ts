import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import prisma, { pool } from "../../app/db.server";
import { env } from "../../app/env.server";
import { ensureReadyMadeCampaign } from "../../app/models/campaigns.server";
import { getQueue } from "../../app/jobs/client.server";
import { startWorkers, type RunningWorkers } from "../../workers/index";
import { eventually } from "../support/processes";
import { deleteQueueKeys } from "../support/services";

// QUALITY.md 9: Redis keeps nothing on disk. After it loses everything (a restart), the worker
// sets its schedules again and every due step still goes out, once: the due times live in PostgreSQL.
const { sink } = await vi.hoisted(async () => {
  const { SmtpSink } = await import("../support/smtp-sink");
  const smtp = await SmtpSink.start();
  process.env.SMTP_URL = smtp.url;
  return { sink: smtp };
});

let workers: RunningWorkers;
let shopId: number;
let campaignId: number;

beforeAll(async () => {
  shopId = (
    await prisma.shop.create({
      data: {
        domain: `${randomUUID()}.myshopify.com`,
        name: "Redis Shop",
        syncedAt: new Date(),
        postalAddress: { address1: "1 Main St", city: "Springfield", country: "United States" },
      },
    })
  ).id;
  campaignId = await ensureReadyMadeCampaign(shopId);
  // Paused for now (nothing runs), with no quiet hours: the steps are due whatever the time of day.
  const campaign = await prisma.campaign.findUniqueOrThrow({ where: { id: campaignId } });
  await prisma.campaign.update({
    where: { id: campaignId },
    data: { status: "paused", settings: { ...(campaign.settings as object), quietHours: { start: 0, end: 0 } } },
  });
  await pool.query(
    `INSERT INTO customers (shop_id, id, email, first_name, email_marketing_state, orders_count, last_order_at, order_hours)
     SELECT $1::int, n, 'r' || n || '@example.com', 'Ana', 'SUBSCRIBED', 2, now() - interval '200 days', '{}'::int[] FROM generate_series(1, 5) AS n`,
    [shopId],
  );
  workers = await startWorkers(undefined, { scheduleCheckMs: 300 });
});

afterAll(async () => {
  await workers.close();
  await sink.close();
});

describe("Redis losing everything", () => {
  it("brings the schedules back, and the steps that were due go out once", async () => {
    await deleteQueueKeys(env.QUEUE_PREFIX);
    expect(await getQueue("engine").getJobSchedulers()).toEqual([]);
    // Due while Redis was empty (step 1 of the ready-made campaign has no code: Shopify is not needed).
    for (let customer = 1n; customer <= 5n; customer++) {
      await prisma.enrollment.create({
        data: {
          shopId,
          campaignId,
          customerId: customer,
          cycle: 1,
          holdout: false,
          enteredAt: new Date(),
          nextStep: 1,
          nextStepDueAt: new Date(),
        },
      });
    }
    await prisma.campaign.update({ where: { id: campaignId }, data: { status: "live" } });
    await eventually(
      async () => (await getQueue("engine").getJobSchedulers()).some((scheduler) => scheduler.key === "dispatch-steps"),
      10_000,
    );
    await eventually(async () => (await prisma.emailSend.count({ where: { shopId, status: "sent" } })) === 5, 20_000);
    await sink.waitFor(5);
    expect(sink.count).toBe(5);
    expect(new Set(sink.received.map((mail) => mail.envelope.to[0])).size).toBe(5);
  }, 40_000);
});
