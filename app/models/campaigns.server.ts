import type { Prisma } from "@prisma/client";
import { enqueue } from "../jobs/client.server";
import prisma, { execute } from "../db.server";
import {
  campaignProblems,
  campaignSettingsSchema,
  defaultCampaignSettings,
  nextStatus,
  validateCampaignSettings,
  type CampaignProblem,
  type CampaignSettings,
  type CampaignStatus,
  type FieldErrors,
  type StatusChange,
} from "../domain/campaign";
import { missingAddressParts, postalAddressSchema } from "../domain/shop-details";
import { editableEmailSettingsSchema, emailSettingsOf } from "../email/settings";
import { env } from "../env.server";
import { logger } from "../logger.server";
import { countEligible } from "./audience.server";
import { saveEmailTemplate } from "./email-templates.server";

/**
 * Campaigns of a shop: the ready-made one, editing (validated settings, each step's content saved
 * as an immutable template version), the "needs attention" list and Draft → Live ⇄ Paused.
 * Every function takes the shop it works for; another shop's campaign is not found.
 */

export const READY_MADE_HANDLE = "win-back";

export interface CampaignView {
  id: number;
  handle: string;
  status: CampaignStatus;
  settings: CampaignSettings;
  templateIds: number[];
  liveSince: Date | null;
  pausedAt: Date | null;
  updatedAt: Date;
}

type CampaignRow = Prisma.CampaignGetPayload<object>;

function viewOf(row: CampaignRow): CampaignView {
  return {
    id: row.id,
    handle: row.handle,
    status: row.status as CampaignStatus,
    // Stored settings passed this schema when written; parsing again fills defaults added since.
    settings: campaignSettingsSchema.parse(row.settings),
    templateIds: row.templateIds,
    liveSince: row.liveSince,
    pausedAt: row.pausedAt,
    updatedAt: row.updatedAt,
  };
}

/** Each step's content as a template version: the current one when unchanged, else a new one. */
async function templateIdsFor(
  shopId: number,
  settings: CampaignSettings,
  current: { settings: CampaignSettings; templateIds: number[] } | null,
): Promise<number[]> {
  const ids: number[] = [];
  for (const [index, step] of settings.steps.entries()) {
    const unchanged =
      current && JSON.stringify(current.settings.steps[index]?.content) === JSON.stringify(step.content)
        ? current.templateIds[index]
        : undefined;
    if (unchanged !== undefined) {
      ids.push(unchanged);
      continue;
    }
    const saved = await saveEmailTemplate(shopId, step.content);
    if (!saved.ok) throw new Error(`step ${index + 1} content passed validation but not the template check`);
    ids.push(saved.id);
  }
  return ids;
}

/** The shop's ready-made Win-Back campaign, created in Draft the first time (install). */
export async function ensureReadyMadeCampaign(shopId: number): Promise<number> {
  const existing = await prisma.campaign.findUnique({
    where: { shopId_handle: { shopId, handle: READY_MADE_HANDLE } },
    select: { id: true },
  });
  if (existing) return existing.id;
  const settings = defaultCampaignSettings();
  const templateIds = await templateIdsFor(shopId, settings, null);
  const row = await prisma.campaign.upsert({
    where: { shopId_handle: { shopId, handle: READY_MADE_HANDLE } },
    create: { shopId, handle: READY_MADE_HANDLE, settings: settings as Prisma.InputJsonValue, templateIds },
    update: {},
    select: { id: true },
  });
  return row.id;
}

/** Another campaign, in Draft, from settings the editor validated; its handle ("campaign-2", …) is its utm_campaign. */
export async function createCampaign(shopId: number, input: unknown): Promise<SaveResult> {
  const validation = validateCampaignSettings(input);
  if (!validation.ok) return { ok: false, fieldErrors: validation.fieldErrors };
  const templateIds = await templateIdsFor(shopId, validation.settings, null);
  const count = await prisma.campaign.count({ where: { shopId } });
  for (let n = count + 1; ; n++) {
    const handle = `campaign-${n}`;
    const created = await prisma.campaign.createManyAndReturn({
      data: [{ shopId, handle, settings: validation.settings as Prisma.InputJsonValue, templateIds }],
      skipDuplicates: true,
    });
    if (created[0]) return { ok: true, campaign: viewOf(created[0]) };
  }
}

/** "Create campaign" on the home page: a Draft with the ready-made settings, named "Win-Back <n>". */
export async function createDefaultCampaign(shopId: number): Promise<CampaignView> {
  const count = await prisma.campaign.count({ where: { shopId, status: { not: "deleted" } } });
  const created = await createCampaign(shopId, { ...defaultCampaignSettings(), name: `Win-Back ${count + 1}` });
  if (!created.ok) throw new Error("the ready-made settings failed their own validation");
  return created.campaign;
}

export async function listCampaigns(shopId: number): Promise<CampaignView[]> {
  return (await prisma.campaign.findMany({ where: { shopId, status: { not: "deleted" } }, orderBy: { id: "asc" } })).map(viewOf);
}

export async function getCampaign(shopId: number, campaignId: number): Promise<CampaignView | null> {
  const row = await prisma.campaign.findFirst({ where: { id: campaignId, shopId, status: { not: "deleted" } } });
  return row ? viewOf(row) : null;
}

/**
 * Deletes a campaign for the merchant: it is gone from their lists and sends nothing more (an
 * e-mail already written is refused at the claim); its customers' enrollments exit, so their
 * codes are deleted from Shopify by the next clean-up. The rows stay for the shop's results.
 */
export async function deleteCampaign(shopId: number, campaignId: number, { now = new Date() }: { now?: Date } = {}): Promise<boolean> {
  const deleted = await prisma.$transaction(async (tx) => {
    const { count } = await tx.campaign.updateMany({
      where: { id: campaignId, shopId, status: { not: "deleted" } },
      data: { status: "deleted" },
    });
    if (count === 0) return false;
    await tx.enrollment.updateMany({
      where: { campaignId, shopId, status: "active" },
      data: { status: "exited", exitReason: "campaign_deleted", endedAt: now, nextStep: null, nextStepDueAt: null },
    });
    return true;
  });
  if (deleted) await queueMarketingSync(shopId, campaignId);
  return deleted;
}

/** Shopify Marketing learns the new status (the hourly marketing job catches up should Redis be away). */
async function queueMarketingSync(shopId: number, campaignId: number): Promise<void> {
  await enqueue("syncMarketingActivity", { shopId, campaignId }).catch((error: Error) =>
    logger.warn({ shopId, campaignId, err: error.message }, "could not queue the marketing activity's update; the hourly run will"),
  );
}

export type SaveResult = { ok: true; campaign: CampaignView } | { ok: false; fieldErrors: FieldErrors } | { ok: false; notFound: true };

/** Saves the editor's settings (any status); nothing is written unless every field is valid. */
export async function saveCampaignSettings(shopId: number, campaignId: number, input: unknown): Promise<SaveResult> {
  const current = await getCampaign(shopId, campaignId);
  if (!current) return { ok: false, notFound: true };
  const validation = validateCampaignSettings(input);
  if (!validation.ok) return { ok: false, fieldErrors: validation.fieldErrors };
  const templateIds = await templateIdsFor(shopId, validation.settings, current);
  const row = await prisma.campaign.update({
    where: { shopId_id: { shopId, id: campaignId } },
    data: { settings: validation.settings as Prisma.InputJsonValue, templateIds },
  });
  return { ok: true, campaign: viewOf(row) };
}

/**
 * The campaign's "needs attention" list, from its settings and the shop's state now. Counting who
 * qualifies today reads the whole audience: a caller that has counted passes `eligibleToday`, and
 * null leaves that warning out (the dashboard, which must answer fast at any store size).
 */
export async function problemsOf(
  shopId: number,
  campaign: CampaignView,
  { eligibleToday }: { eligibleToday?: number | null } = {},
  { now = new Date() }: { now?: Date } = {},
): Promise<CampaignProblem[]> {
  const shop = await prisma.shop.findUniqueOrThrow({ where: { id: shopId }, select: { postalAddress: true, syncedAt: true } });
  const validation = validateCampaignSettings(campaign.settings);
  return campaignProblems({
    settingsErrors: validation.ok ? {} : validation.fieldErrors,
    missingAddressParts: missingAddressParts(postalAddressSchema.nullable().catch(null).parse(shop.postalAddress)),
    senderConfigured: Boolean(env.EMAIL_FROM_ADDRESS),
    historySynced: shop.syncedAt !== null,
    eligibleToday:
      shop.syncedAt === null
        ? null
        : eligibleToday !== undefined
          ? eligibleToday
          : await countEligible(shopId, campaign.settings.audience, { now }),
  });
}

export type StatusChangeResult = { ok: true; campaign: CampaignView } | { ok: false; reason: string } | { ok: false; notFound: true };

/**
 * Go Live, Pause or Resume; going Live is refused while a blocking problem exists. `reviewed` is
 * the version (updatedAt) of the settings the merchant checked: a save since then refuses it.
 */
export async function changeCampaignStatus(
  shopId: number,
  campaignId: number,
  change: StatusChange,
  { reviewed }: { reviewed?: Date } = {},
  { now = new Date() }: { now?: Date } = {},
): Promise<StatusChangeResult> {
  const campaign = await getCampaign(shopId, campaignId);
  if (!campaign) return { ok: false, notFound: true };
  if (reviewed && reviewed.getTime() !== campaign.updatedAt.getTime()) {
    return { ok: false, reason: "The campaign was changed after this check; look at the check again before going Live" };
  }
  const problems = change === "pause" ? [] : await problemsOf(shopId, campaign, {}, { now });
  const next = nextStatus(campaign.status, change, problems);
  if ("refused" in next) return { ok: false, reason: next.refused };
  // Conditional on the status read above: two clicks at once change it once.
  const { count } = await prisma.campaign.updateMany({
    where: { id: campaignId, shopId, status: campaign.status },
    data: next.status === "live" ? { status: "live", liveSince: now, pausedAt: null } : { status: next.status, pausedAt: now },
  });
  if (count === 0) return { ok: false, reason: "The campaign changed meanwhile; reload and try again" };
  if (next.status === "live") {
    // The first enrollment right away; should Redis be away, the hourly run does it.
    await enqueue("enrollCampaign", { shopId, campaignId }).catch((error: Error) =>
      logger.warn({ shopId, campaignId, err: error.message }, "could not queue the first enrollment; the hourly run will"),
    );
  }
  await queueMarketingSync(shopId, campaignId);
  return { ok: true, campaign: (await getCampaign(shopId, campaignId))! };
}

/**
 * The editor's save: the campaign's settings and the shop's sender settings, both validated
 * first; nothing is written unless every field is valid (errors keyed "email.senderName", …).
 */
export async function saveFromEditor(
  shopId: number,
  campaignId: number,
  input: { settings: unknown; email: unknown },
): Promise<SaveResult> {
  const email = editableEmailSettingsSchema.safeParse(input.email ?? {});
  const emailErrors: FieldErrors = {};
  if (!email.success) for (const issue of email.error.issues) emailErrors[`email.${issue.path.join(".")}`] ??= issue.message;
  const settings = validateCampaignSettings(input.settings);
  if (!settings.ok || !email.success) return { ok: false, fieldErrors: { ...(settings.ok ? {} : settings.fieldErrors), ...emailErrors } };
  const saved = await saveCampaignSettings(shopId, campaignId, settings.settings);
  if (saved.ok) await saveShopEmailSettings(shopId, email.data);
  return saved;
}

/** The sender settings as the editor shows them (empty: the shop's name and contact e-mail are used). */
export async function editorEmailSettings(shopId: number): Promise<{ senderName: string; replyTo: string }> {
  const shop = await prisma.shop.findUniqueOrThrow({ where: { id: shopId }, select: { settings: true } });
  const email = emailSettingsOf(shop.settings);
  return { senderName: email.senderName ?? "", replyTo: email.replyTo ?? "" };
}

async function saveShopEmailSettings(shopId: number, edited: { senderName?: string; replyTo?: string }): Promise<void> {
  await execute(
    `UPDATE shops SET settings = jsonb_set(settings, '{email}',
       (coalesce(settings->'email', '{}'::jsonb) - 'senderName' - 'replyTo') || $2::jsonb), updated_at = now()
     WHERE id = $1`,
    [shopId, JSON.stringify(edited)],
  );
}
