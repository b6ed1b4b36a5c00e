import { emailHash, linkKeyFrom } from "../domain/link-tokens";
import { env } from "../env.server";
import { execute, queryRows, type Db } from "../db.server";

/**
 * The shop's suppression list: addresses that must not receive marketing from us, kept as keyed
 * hashes. Suppressing also marks the customer (the audience query reads `suppressed_at`).
 * An unsubscribe is also reported to Shopify, through the `consent_updates` outbox.
 */

export type SuppressionReason = "unsubscribed" | "bounced" | "complained";

const key = linkKeyFrom(env.SHOPIFY_API_SECRET);

/** Adds the address to the list; with a customer (null: none known), marks them suppressed too. */
export async function suppressAddress(
  shopId: number,
  email: string,
  reason: SuppressionReason,
  customerId: bigint | null,
  deps: { db?: Db } = {},
): Promise<void> {
  await execute(
    "INSERT INTO email_suppressions (shop_id, email_hash, reason) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    [shopId, emailHash(key, email), reason],
    deps.db,
  );
  if (customerId !== null) {
    await execute(
      "UPDATE customers SET suppressed_at = coalesce(suppressed_at, now()), updated_at = now() WHERE shop_id = $1 AND id = $2",
      [shopId, String(customerId)],
      deps.db,
    );
  }
}

/** Which of these addresses the shop's list holds (compared by keyed hash). */
export async function suppressedAmong(shopId: number, emails: string[], deps: { db?: Db } = {}): Promise<Set<string>> {
  if (emails.length === 0) return new Set();
  const byHash = new Map(emails.map((email) => [emailHash(key, email).toString("hex"), email]));
  const rows = await queryRows<{ emailHash: Buffer }>(
    "SELECT email_hash FROM email_suppressions WHERE shop_id = $1 AND email_hash = ANY($2::bytea[])",
    [shopId, [...byHash.keys()].map((hash) => Buffer.from(hash, "hex"))],
    deps.db,
  );
  return new Set(rows.map((row) => byHash.get(row.emailHash.toString("hex"))!));
}

/**
 * Queues the customer's unsubscribe for Shopify (the `syncUnsubscribe` job reports it). A
 * request already waiting stays as it is; one applied or refused before is asked again.
 */
export async function requestConsentUpdate(shopId: number, customerId: bigint, deps: { db?: Db } = {}): Promise<void> {
  await execute(
    `INSERT INTO consent_updates (shop_id, customer_id) VALUES ($1, $2)
     ON CONFLICT (shop_id, customer_id) DO UPDATE SET requested_at = now(), applied_at = NULL, failed_at = NULL, error = NULL
     WHERE consent_updates.applied_at IS NOT NULL OR consent_updates.failed_at IS NOT NULL`,
    [shopId, String(customerId)],
    deps.db,
  );
}

/** Unsubscribes not yet reported to Shopify this long after they happened (their job was probably lost), of installed shops. */
export async function pendingConsentUpdates(
  olderThanMs: number,
  limit: number,
  deps: { now?: Date } = {},
): Promise<{ shopId: number; customerId: bigint }[]> {
  const rows = await queryRows<{ shopId: number; customerId: string }>(
    `SELECT u.shop_id, u.customer_id FROM consent_updates u JOIN shops sh ON sh.id = u.shop_id
     WHERE u.applied_at IS NULL AND u.failed_at IS NULL AND u.requested_at < $1 AND sh.uninstalled_at IS NULL
     LIMIT $2`,
    [new Date((deps.now ?? new Date()).getTime() - olderThanMs), limit],
  );
  return rows.map((row) => ({ shopId: row.shopId, customerId: BigInt(row.customerId) }));
}
