import { z } from "zod";
import { defineJob, shopIdSchema } from "./define";

const schema = z.object({ shopId: shopIdSchema });
export type ScoreShopPayload = z.infer<typeof schema>;

/** Recompute the shop's R/F/M scores, then its product pairs and best sellers. */
export const scoreShop = defineJob({
  queue: "sync",
  name: "score-shop",
  payload: schema,
  options: (p) => ({ deduplication: { id: `score-${p.shopId}` } }),
  handler: () => import("./score-shop.handler"),
});
