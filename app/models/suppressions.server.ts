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
    await db.query(
      "UPDATE customers SET suppressed_at = coalesce(suppressed_at, now()), updated_at = now() WHERE shop_id = $1 AND id = $2",
      [shopId, String(customerId)],
    );
  }
}

/** Which of these addresses the shop's list holds (compared by keyed hash). */
export async function suppressedAmong(shopId: number, emails: string[]): Promise<Set<string>> {
  if (emails.length === 0) return new Set();
  const byHash = new Map(emails.map((email) => [emailHash(key, email).toString("hex"), email]));
  const { rows } = await pool.query<{ email_hash: Buffer }>({
    name: "email-suppression-check",
    text: "SELECT email_hash FROM email_suppressions WHERE shop_id = $1 AND email_hash = ANY($2::bytea[])",
    values: [shopId, [...byHash.keys()].map((hash) => Buffer.from(hash, "hex"))],
  });
  return new Set(rows.map((row) => byHash.get(row.email_hash.toString("hex"))!));
}
