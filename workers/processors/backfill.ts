import { markBackfillFailed, runBackfill, type BackfillDeps } from "../../app/models/backfill.server";
import { ShopifyApiError, ShopifyThrottledError } from "../../app/models/shopify-admin.server";
import { refreshProductAffinity } from "../../app/models/recommendations.server";
import { installedShopIds, scoreShop } from "../../app/models/scoring.server";
import { enqueue, RetryLater, type JobPayload } from "../queues";
import type { Attempt } from "./webhook-event";

/**
 * One step of a shop's back-fill. While Shopify builds a bulk operation the job waits as a delayed
 * job (no worker slot held, no attempt spent). A failure is retried with backoff; after the last
 * attempt, or when retrying cannot help, the shop's sync is marked failed for the merchant to see.
 */
export async function backfillShop({ shopId }: JobPayload<"backfillShop">, deps: BackfillDeps, attempt: Attempt): Promise<string> {
  try {
    const step = await runBackfill(shopId, deps);
    if (step.state === "waiting") throw new RetryLater(step.waitMs, "waiting for Shopify's bulk operation");
    return step.state;
  } catch (error) {
    if (error instanceof RetryLater || error instanceof ShopifyThrottledError) throw error;
    const permanent = error instanceof ShopifyApiError && error.permanent;
    if (permanent || attempt.attemptsMade + 1 >= (attempt.opts.attempts ?? 1)) {
      await markBackfillFailed(shopId, error instanceof Error ? error.message : String(error));
    }
    throw error;
  }
}

/** The daily refresh of what changes with time and new orders: R/F/M scores, then product pairs and best sellers. */
export async function scoreShopJob({ shopId }: JobPayload<"scoreShop">): Promise<{ changed: number }> {
  const scored = await scoreShop(shopId);
  await refreshProductAffinity(shopId);
  return scored;
}

/** The daily scoring run: one job per installed shop (deduplicated, so a slow shop is not stacked). */
export async function scoreAllShops(): Promise<number> {
  const shops = await installedShopIds();
  for (const shopId of shops) await enqueue("scoreShop", { shopId });
  return shops.length;
}
