import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { MAX_STEPS, offerOfStep, offerSchema, type CampaignSettings } from "../domain/campaign";
import { parseIntent } from "../domain/intent";
import { mailTransport } from "../email/mailer.server";
import { previewEmail, sendTestEmail } from "../models/email-preview.server";
import { authenticate } from "../shopify.server";
import { requireCampaign } from "../utils/route-guards.server";

/**
 * The editor's preview and test send (a resource route: JSON in, JSON out). The steps come as
 * the editor has them, saved or not; the offer a step carries is resolved as the engine does.
 */

// Offers and content are checked where they are used: an unsaved step may still be incomplete.
const stepRequest = z.object({
  steps: z
    .array(z.object({ offer: z.object({ use: z.enum(["none", "previous", "new"]) }).loose(), content: z.unknown() }))
    .min(1)
    .max(MAX_STEPS),
  stepIndex: z
    .number()
    .int()
    .min(0)
    .max(MAX_STEPS - 1),
  customerId: z.string().regex(/^\d+$/).nullable(),
});
const previewIntents = z.discriminatedUnion("intent", [
  stepRequest.extend({ intent: z.literal("preview") }),
  stepRequest.extend({ intent: z.literal("test") }),
]);

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { shopId, campaign } = await requireCampaign(session.shop, params.id);
  const parsed = parseIntent(previewIntents, await request.json().catch(() => null));
  if (!parsed.ok) return Response.json({ ok: false, reason: parsed.error }, { status: 400 });
  if (parsed.data.stepIndex >= parsed.data.steps.length)
    return Response.json({ ok: false, reason: `There is no step ${parsed.data.stepIndex + 1} to preview` }, { status: 400 });
  const { intent, steps, stepIndex, customerId } = parsed.data;
  const resolved = offerOfStep({ steps } as unknown as CampaignSettings, stepIndex);
  const offer = resolved ? offerSchema.safeParse(resolved.offer) : null;
  if (offer && !offer.success) return Response.json({ ok: false, reason: `Fix step ${resolved!.fromStep + 1}'s offer to preview it` });
  const input = {
    content: steps[stepIndex]!.content,
    offer: offer?.data ?? null,
    customerId: customerId === null ? null : BigInt(customerId),
  };
  if (intent === "preview") return Response.json(await previewEmail(shopId, input));
  return Response.json(
    await sendTestEmail(shopId, { ...input, campaign: campaign.handle, step: stepIndex + 1 }, { transport: mailTransport() }),
  );
};
