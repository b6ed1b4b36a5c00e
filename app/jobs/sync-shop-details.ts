import { z } from "zod";
import { defineJob, shopIdSchema } from "./define";

const schema = z.object({ shopId: shopIdSchema });
export type SyncShopDetailsPayload = z.infer<typeof schema>;

/** Read the shop's name, timezone, currency, contact e-mail and address from the Admin API. */
export const syncShopDetails = defineJob({
  queue: "shops",
  name: "sync-shop-details",
  payload: schema,
  // One pending refresh per shop; a later install or request after it finished runs again.
  options: (p) => ({ deduplication: { id: `shop-details-${p.shopId}` } }),
  handler: () => import("./sync-shop-details.handler"),
});
