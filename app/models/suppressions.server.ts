import type { Pool, PoolClient } from "pg";
import { emailHash, linkKeyFrom } from "../domain/link-tokens";
import { env } from "../env.server";
import { pool } from "../db.server";

/**
 * The shop's suppression list: addresses that must not receive marketing from us, kept as keyed
 * hashes. Suppressing also marks the customer (the audience query reads `suppressed_at`).
 */

export type SuppressionReason = "unsubscribed" | "bounced" | "complained";

const key = linkKeyFrom(env.SHOPIFY_API_SECRET);

export async function suppressAddress(
  db: Pool | PoolClient,
  shopId: number,
  email: string,
  reason: SuppressionReason,
  customerId?: bigint,
): Promise<void> {
  await db.query("INSERT INTO email_suppressions (shop_id, email_hash, reason) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", [
    shopId,
    emailHash(key, email),
    reason,
  ]);
  if (customerId !== undefined) {
    await db.query("UPDATE customers SET suppressed_at = coalesce(suppressed_at, now()), updated_at = now() WHERE shop_id = $1 AND id = $2", [
      shopId,
      String(customerId),
    ]);
  }
}

export async function isAddressSuppressed(shopId: number, email: string): Promise<boolean> {
  const { rowCount } = await pool.query({
    name: "email-suppression-check",
    text: "SELECT 1 FROM email_suppressions WHERE shop_id = $1 AND email_hash = $2",
    values: [shopId, emailHash(key, email)],
  });
  return (rowCount ?? 0) > 0;
}
