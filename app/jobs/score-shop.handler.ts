import { refreshProductAffinity } from "../models/recommendations.server";
import { scoreShop } from "../models/scoring.server";
import type { ScoreShopPayload } from "./score-shop";

/** The daily refresh of what changes with time and new orders: R/F/M scores, then product pairs and best sellers. */
export async function run({ shopId }: ScoreShopPayload): Promise<{ changed: number }> {
  const scored = await scoreShop(shopId);
  await refreshProductAffinity(shopId);
  return scored;
}
