import prisma, { queryRow, queryRows } from "../db.server";

/**
 * The webhook inbox. A delivery is recorded once per (shop, webhook id); a repeated delivery only
 * bumps its counter. The body is kept until the worker has applied it (or it is redacted or
 * expires), then cleared.
 */

export interface WebhookDelivery {
  shopDomain: string;
  webhookId: string;
  eventId: string | null;
  topic: string;
  apiVersion: string | null;
  triggeredAt: Date | null;
  /** The raw body as Shopify signed it. */
  body: string;
}

export interface RecordedDelivery {
  id: bigint;
  /** False when Shopify repeated a delivery we already hold. */
  firstDelivery: boolean;
  processed: boolean;
}

/**
 * Records deliveries in one statement (the web process's group commit): new ones are inserted,
 * repeats only counted. Returns one result per delivery, in order. A webhook id given twice in
 * the same call is one row; its first delivery is the first, the others are repeats.
 * `xmax = 0` is true only for a freshly inserted row.
 */
export async function recordWebhookDeliveries(deliveries: WebhookDelivery[]): Promise<RecordedDelivery[]> {
  const keyOf = (delivery: WebhookDelivery) => `${delivery.shopDomain} ${delivery.webhookId}`;
  const unique = new Map<string, { delivery: WebhookDelivery; count: number }>();
  for (const delivery of deliveries) {
    const seen = unique.get(keyOf(delivery));
    if (seen) seen.count++;
    else unique.set(keyOf(delivery), { delivery, count: 1 });
  }
  // One parameter per value (not arrays): pg sends each as it is, where an array of bodies would be escaped character by character.
  const params: unknown[] = [];
  const values = [...unique.values()].map(({ delivery, count }) => {
    const first = params.length;
    params.push(
      delivery.shopDomain,
      delivery.webhookId,
      delivery.eventId,
      delivery.topic,
      delivery.apiVersion,
      delivery.triggeredAt,
      delivery.body,
      count,
    );
    return `(${Array.from({ length: 8 }, (_, i) => `$${first + i + 1}`).join(", ")})`;
  });
  const recorded = await queryRows<{ shopDomain: string; webhookId: string; id: string; firstDelivery: boolean; processed: boolean }>(
    `INSERT INTO webhook_events (shop_domain, webhook_id, event_id, topic, api_version, triggered_at, payload, deliveries)
     VALUES ${values.join(", ")}
     ON CONFLICT (shop_domain, webhook_id) DO UPDATE SET deliveries = webhook_events.deliveries + EXCLUDED.deliveries
     RETURNING shop_domain, webhook_id, id, (xmax = 0) AS first_delivery, (processed_at IS NOT NULL) AS processed`,
    params,
  );
  const byKey = new Map(recorded.map((row) => [`${row.shopDomain} ${row.webhookId}`, row]));
  const answered = new Set<string>();
  return deliveries.map((delivery) => {
    const key = keyOf(delivery);
    const row = byKey.get(key);
    if (!row) throw new Error("webhook_events upsert returned no row for a delivery");
    const firstDelivery = row.firstDelivery && !answered.has(key);
    answered.add(key);
    return { id: BigInt(row.id), firstDelivery, processed: row.processed };
  });
}

export async function findWebhookEvent(id: bigint) {
  return prisma.webhookEvent.findUnique({ where: { id } });
}

/** Marks an event applied and drops its body (it may hold personal data we no longer need). */
export async function markWebhookEventProcessed(id: bigint): Promise<void> {
  await prisma.webhookEvent.updateMany({
    where: { id, processedAt: null },
    data: { processedAt: new Date(), payload: null, lastError: null, failedAt: null },
  });
}

/** An attempt failed and will be retried. */
export async function recordWebhookEventError(id: bigint, message: string): Promise<void> {
  await prisma.webhookEvent.updateMany({ where: { id }, data: { lastError: message } });
}

/** Processing gave up: the event stays, visibly parked, until Shopify delivers it again. */
export async function markWebhookEventFailed(id: bigint, message: string): Promise<void> {
  await prisma.webhookEvent.updateMany({ where: { id, processedAt: null }, data: { lastError: message, failedAt: new Date() } });
}

/** A repeated delivery of an unapplied event: make it eligible for processing again. */
export async function reopenWebhookEvent(id: bigint): Promise<void> {
  await prisma.webhookEvent.updateMany({ where: { id, processedAt: null, failedAt: { not: null } }, data: { failedAt: null } });
}

/**
 * Unapplied, not given up, and older than `olderThanMs`: their job was lost with Redis, or ran
 * out of attempts while the database itself was unreachable (so `failed_at` could not be set).
 */
export async function findStaleUnprocessedWebhookEvents(olderThanMs: number, limit: number): Promise<bigint[]> {
  const rows = await prisma.webhookEvent.findMany({
    where: { processedAt: null, failedAt: null, receivedAt: { lt: new Date(Date.now() - olderThanMs) } },
    select: { id: true },
    orderBy: { receivedAt: "asc" },
    take: limit,
  });
  return rows.map((row) => row.id);
}

/**
 * Retention. Applied events: ids kept `processedRetentionMs` to recognise Shopify's late repeats
 * (it retries for up to 48 hours). Events never applied (parked failures): deleted with their
 * body after `anyRetentionMs`, so personal data is not kept indefinitely.
 */
export async function purgeWebhookEvents(processedRetentionMs: number, anyRetentionMs: number): Promise<number> {
  const now = Date.now();
  const [processed, stale] = await Promise.all([
    prisma.webhookEvent.deleteMany({ where: { processedAt: { lt: new Date(now - processedRetentionMs) } } }),
    prisma.webhookEvent.deleteMany({ where: { processedAt: null, receivedAt: { lt: new Date(now - anyRetentionMs) } } }),
  ]);
  return processed.count + stale.count;
}

/**
 * customers/redact: pending events of this shop whose body concerns the customer are closed with
 * their body cleared; applying them later would re-introduce the data Shopify asked us to erase.
 */
export async function redactPendingWebhookEvents(shopDomain: string, concernsCustomer: (body: string) => boolean): Promise<number> {
  const pending = await prisma.webhookEvent.findMany({
    where: { shopDomain, processedAt: null, payload: { not: null }, topic: { notIn: ["customers/redact", "customers/data_request"] } },
    select: { id: true, payload: true },
  });
  const ids = pending.filter((event) => concernsCustomer(event.payload!)).map((event) => event.id);
  if (ids.length === 0) return 0;
  const { count } = await prisma.webhookEvent.updateMany({
    where: { id: { in: ids } },
    data: { payload: null, processedAt: new Date(), failedAt: null, lastError: "redacted before it was applied" },
  });
  return count;
}

export interface WebhookActivity {
  receivedLastDay: number;
  /** Not applied yet and not given up on (queued, or retrying after an error). */
  pending: number;
  /** Given up on: kept for inspection until Shopify delivers them again. */
  failed: { topic: string; count: number }[];
}

/** What the merchant's first page shows about the shop's incoming Shopify events. */
export async function getWebhookActivity(shopId: number, { now = new Date() }: { now?: Date } = {}): Promise<WebhookActivity> {
  const activity = await queryRow<{ receivedLastDay: string; pending: string; failed: { topic: string; count: number }[] }>(
    `SELECT (SELECT count(*) FROM webhook_events w WHERE w.shop_domain = s.domain AND w.received_at >= $2) AS received_last_day,
            (SELECT count(*) FROM webhook_events w WHERE w.shop_domain = s.domain AND w.processed_at IS NULL AND w.failed_at IS NULL) AS pending,
            (SELECT coalesce(json_agg(json_build_object('topic', f.topic, 'count', f.count) ORDER BY f.topic), '[]'::json)
             FROM (SELECT w.topic, count(*) AS count FROM webhook_events w
                   WHERE w.shop_domain = s.domain AND w.processed_at IS NULL AND w.failed_at IS NOT NULL GROUP BY w.topic) f) AS failed
     FROM shops s WHERE s.id = $1`,
    [shopId, new Date(now.getTime() - 24 * 3600 * 1000)],
  );
  return {
    receivedLastDay: Number(activity?.receivedLastDay ?? 0),
    pending: Number(activity?.pending ?? 0),
    failed: activity?.failed ?? [],
  };
}
