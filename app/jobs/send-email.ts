import { z } from "zod";
import { defineJob, idSchema, shopIdSchema } from "./define";

const schema = z.object({ shopId: shopIdSchema, sendId: idSchema });
export type SendEmailPayload = z.infer<typeof schema>;

/** Re-check, render and send one row of the send ledger (app/models/email-delivery.server.ts). */
export const sendEmail = defineJob({
  queue: "email",
  name: "send-email",
  payload: schema,
  // Deterministic: the ledger row is the effect; a second job for it would find it sent anyway.
  options: (p) => ({ jobId: `send-${p.shopId}-${p.sendId}` }),
  handler: () => import("./send-email.handler"),
});
