import { z } from "zod";
import { defineJob, idSchema, shopIdSchema } from "./define";

const schema = z.object({ shopId: shopIdSchema, customerId: idSchema });
export type SyncUnsubscribePayload = z.infer<typeof schema>;

/** Report an unsubscribe to Shopify (a consent_updates row). */
export const syncUnsubscribe = defineJob({
  queue: "email",
  name: "sync-unsubscribe",
  payload: schema,
  options: (p) => ({ deduplication: { id: `consent-${p.shopId}-${p.customerId}` } }),
  handler: () => import("./sync-unsubscribe.handler"),
});
