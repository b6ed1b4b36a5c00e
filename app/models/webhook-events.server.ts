import { Prisma } from "@prisma/client";
import prisma, { pool } from "../db.server";

/**
 * The webhook inbox. A delivery is recorded once per (shop, webhook id); a repeated delivery only
 * bumps its counter. The payload is kept until the worker has applied it, then cleared.
 */

export interface WebhookDelivery {
  shopDomain: string;
  webhookId: string;
  eventId: string | null;
  topic: string;
  apiVersion: string | null;
  triggeredAt: Date | null;
  payload: unknown;
}

export interface RecordedDelivery {
  id: bigint;
  /** False when Shopify repeated a delivery we already hold. */
  firstDelivery: boolean;
  processed: boolean;
}

/**
 * Every webhook request runs this, so it goes to pg directly (one round trip, no query compiler).
 * Insert, or count the repeat; `xmax = 0` is true only for a freshly inserted row.
 */
export async function recordWebhookDelivery(delivery: WebhookDelivery): Promise<RecordedDelivery> {
  const { rows } = await pool.query<{ id: string; first_delivery: boolean; processed: boolean }>({
    name: "record-webhook-delivery",
    text: `INSERT INTO webhook_events (shop_domain, webhook_id, event_id, topic, api_version, triggered_at, payload)
           VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)
           ON CONFLICT (shop_domain, webhook_id) DO UPDATE SET deliveries = webhook_events.deliveries + 1
           RETURNING id, (xmax = 0) AS first_delivery, (processed_at IS NOT NULL) AS processed`,
    values: [
      delivery.shopDomain,
      delivery.webhookId,
      delivery.eventId,
      delivery.topic,
      delivery.apiVersion,
      delivery.triggeredAt,
      JSON.stringify(delivery.payload),
    ],
  });
  const row = rows[0];
  if (!row) throw new Error("webhook_events upsert returned no row");
  return { id: BigInt(row.id), firstDelivery: row.first_delivery, processed: row.processed };
}

export async function findWebhookEvent(id: bigint) {
  return prisma.webhookEvent.findUnique({ where: { id } });
}

/** Marks an event applied and drops its payload (it may hold personal data we no longer need). */
export async function markWebhookEventProcessed(id: bigint): Promise<void> {
  await prisma.webhookEvent.updateMany({
    where: { id, processedAt: null },
    data: { processedAt: new Date(), payload: Prisma.DbNull, lastError: null },
  });
}

export async function recordWebhookEventError(id: bigint, message: string): Promise<void> {
  await prisma.webhookEvent.updateMany({ where: { id }, data: { lastError: message.slice(0, 500) } });
}

/** Unprocessed events older than `olderThanMs`: their job may have been lost with Redis. */
export async function findStaleUnprocessedWebhookEvents(olderThanMs: number, limit: number): Promise<bigint[]> {
  const rows = await prisma.webhookEvent.findMany({
    where: { processedAt: null, receivedAt: { lt: new Date(Date.now() - olderThanMs) } },
    select: { id: true },
    orderBy: { receivedAt: "asc" },
    take: limit,
  });
  return rows.map((row) => row.id);
}

/**
 * Deletes events processed before the cutoff. Shopify retries a delivery for up to 48 hours, so
 * ids are kept well beyond that to recognise late repeats. Unprocessed (failing) events stay.
 */
export async function purgeProcessedWebhookEvents(processedBefore: Date): Promise<number> {
  const { count } = await prisma.webhookEvent.deleteMany({ where: { processedAt: { lt: processedBefore } } });
  return count;
}

export interface WebhookActivity {
  receivedLastDay: number;
  waiting: number;
  failing: { topic: string; count: number }[];
}

/** What the merchant's first page shows about incoming Shopify events. */
export async function getWebhookActivity(shopDomain: string): Promise<WebhookActivity> {
  const since = new Date(Date.now() - 24 * 3600 * 1000);
  const [receivedLastDay, waiting, failing] = await Promise.all([
    prisma.webhookEvent.count({ where: { shopDomain, receivedAt: { gte: since } } }),
    prisma.webhookEvent.count({ where: { shopDomain, processedAt: null, lastError: null } }),
    prisma.webhookEvent.groupBy({
      by: ["topic"],
      where: { shopDomain, processedAt: null, lastError: { not: null } },
      _count: { _all: true },
    }),
  ]);
  return {
    receivedLastDay,
    waiting,
    failing: failing.map((group) => ({ topic: group.topic, count: group._count._all })),
  };
}
