import { markBackfillFailed, runBackfill, type BackfillDeps } from "../models/backfill.server";
import { adminQuery, ShopifyApiError, ShopifyThrottledError } from "../models/shopify-admin.server";
import { isLastAttempt, RetryLater, type Attempt } from "./attempts";
import type { BackfillShopPayload } from "./backfill-shop";

/**
 * One step of a shop's back-fill. While Shopify builds a bulk operation the job waits as a delayed
 * job (no worker slot held, no attempt spent). A failure is retried with backoff; after the last
 * attempt, or when retrying cannot help, the shop's sync is marked failed for the merchant to see.
 */
export async function run({ shopId }: BackfillShopPayload, attempt: Attempt, deps: BackfillDeps = { admin: adminQuery }): Promise<string> {
  try {
    const step = await runBackfill(shopId, deps);
    if (step.state === "waiting") throw new RetryLater(step.waitMs, "waiting for Shopify's bulk operation");
    return step.state;
  } catch (error) {
    if (error instanceof RetryLater || error instanceof ShopifyThrottledError) throw error;
    const permanent = error instanceof ShopifyApiError && error.permanent;
    if (permanent || isLastAttempt(attempt)) {
      await markBackfillFailed(shopId, error instanceof Error ? error.message : String(error));
    }
    throw error;
  }
}
