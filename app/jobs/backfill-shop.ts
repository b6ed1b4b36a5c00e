import { z } from "zod";
import { defineJob, shopIdSchema } from "./define";

const schema = z.object({ shopId: shopIdSchema });
export type BackfillShopPayload = z.infer<typeof schema>;

/** Continue the shop's back-fill state machine (app/models/backfill.server.ts). */
export const backfillShop = defineJob({
  queue: "sync",
  name: "backfill-shop",
  payload: schema,
  // One back-fill job per shop at a time, including while it waits for Shopify (delayed).
  options: (p) => ({ deduplication: { id: `backfill-${p.shopId}` } }),
  handler: () => import("./backfill-shop.handler"),
});
