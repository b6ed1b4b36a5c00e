import { z } from "zod";
import { defineJob, idSchema, shopIdSchema } from "./define";

const schema = z.object({ shopId: shopIdSchema, sendIds: z.array(idSchema).min(1).max(100) });
export type SendEmailsPayload = z.infer<typeof schema>;

/** The same as send-email for up to 100 rows of one shop: one query per step for all of them (deliverSends). */
export const sendEmails = defineJob({
  queue: "email",
  name: "send-emails",
  payload: schema,
  options: (p) => ({ jobId: `sends-${p.shopId}-${p.sendIds[0]}-${p.sendIds.length}` }),
  handler: () => import("./send-emails.handler"),
});
