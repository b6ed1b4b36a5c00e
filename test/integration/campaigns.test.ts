import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import prisma, { execute } from "../../app/db.server";
import { defaultCampaignSettings, type CampaignSettings } from "../../app/domain/campaign";
import {
  READY_MADE_HANDLE,
  changeCampaignStatus,
  createCampaign,
  deleteCampaign,
  ensureReadyMadeCampaign,
  getCampaign,
  listCampaigns,
  problemsOf,
  saveCampaignSettings,
} from "../../app/models/campaigns.server";
import { recordInstall } from "../../app/models/shop.server";
import { makeCustomers, makeShop, SPAIN_ADDRESS as ADDRESS } from "../support/factories";

let shopId: number;
let campaignId: number;

/** A shop whose history is synced and whose address is known, with one subscribed lapsed customer. */
async function readyShop(): Promise<number> {
  const shop = await makeShop({ postalAddress: ADDRESS, syncedAt: new Date(), syncState: "completed" });
  await makeCustomers(shop.id, [{ id: 1, email: "ana@example.com", ordersCount: 3 }]);
  return shop.id;
}

beforeEach(async () => {
  shopId = await readyShop();
  campaignId = await ensureReadyMadeCampaign(shopId);
});

const edited = (change: (settings: CampaignSettings) => void) => {
  const settings = structuredClone(defaultCampaignSettings());
  change(settings);
  return settings;
};

describe("the ready-made campaign", () => {
  it("is created once per shop, in Draft, with a template version per step, on install", async () => {
    expect(await ensureReadyMadeCampaign(shopId)).toBe(campaignId);
    const [campaign] = await listCampaigns(shopId);
    expect(campaign).toMatchObject({ id: campaignId, handle: READY_MADE_HANDLE, status: "draft", settings: defaultCampaignSettings() });
    expect(campaign!.templateIds).toHaveLength(3);
    const templates = await prisma.emailTemplate.findMany({ where: { id: { in: campaign!.templateIds } } });
    expect(templates.every((template) => template.shopId === shopId)).toBe(true);

    const installed = await recordInstall(`${randomUUID()}.myshopify.com`);
    expect(await listCampaigns(installed)).toEqual([expect.objectContaining({ handle: READY_MADE_HANDLE, status: "draft" })]);
  });
});

describe("editing", () => {
  it("saves valid settings; a step whose content is unchanged keeps its template version", async () => {
    const before = (await getCampaign(shopId, campaignId))!;
    const result = await saveCampaignSettings(
      shopId,
      campaignId,
      edited((settings) => {
        settings.holdoutPercent = 20;
        settings.steps[2]!.content.subject = "Final call, {{ customer.first_name }}";
      }),
    );
    expect(result.ok).toBe(true);
    const after = (await getCampaign(shopId, campaignId))!;
    expect(after.settings.holdoutPercent).toBe(20);
    expect(after.templateIds.slice(0, 2)).toEqual(before.templateIds.slice(0, 2));
    expect(after.templateIds[2]).not.toBe(before.templateIds[2]);
  });

  it("refuses invalid settings field by field and changes nothing", async () => {
    const before = await getCampaign(shopId, campaignId);
    const result = await saveCampaignSettings(
      shopId,
      campaignId,
      edited((settings) => ((settings.holdoutPercent = -1), (settings.steps[1]!.content.body = "{{ oops }}"))),
    );
    expect(result).toEqual({
      ok: false,
      fieldErrors: { holdoutPercent: "The holdout must be 0 to 50%" },
    });
    const liquid = await saveCampaignSettings(
      shopId,
      campaignId,
      edited((settings) => (settings.steps[1]!.content.body = "{{ oops }}")),
    );
    expect(liquid).toEqual({ ok: false, fieldErrors: { "steps.1.content.body": "Unknown variable oops (line 1, column 4)" } });
    expect(await getCampaign(shopId, campaignId)).toEqual(before);
  });

  it("creates more campaigns in Draft, each with its own handle, refusing invalid settings", async () => {
    const first = await createCampaign(
      shopId,
      edited((settings) => (settings.name = "Lapsed VIPs")),
    );
    const second = await createCampaign(shopId, defaultCampaignSettings());
    expect(first).toMatchObject({ ok: true, campaign: { handle: "campaign-2", status: "draft", settings: { name: "Lapsed VIPs" } } });
    expect(second).toMatchObject({ ok: true, campaign: { handle: "campaign-3" } });
    expect((await listCampaigns(shopId)).map((campaign) => campaign.handle)).toEqual([READY_MADE_HANDLE, "campaign-2", "campaign-3"]);
    expect(
      await createCampaign(
        shopId,
        edited((settings) => (settings.steps = [])),
      ),
    ).toEqual({ ok: false, fieldErrors: { steps: "A campaign needs at least one step" } });
  });

  it("keeps shops apart: another shop's campaign is not found and not changed", async () => {
    const other = await readyShop();
    const before = await getCampaign(shopId, campaignId);
    expect(await getCampaign(other, campaignId)).toBeNull();
    expect(await saveCampaignSettings(other, campaignId, defaultCampaignSettings())).toEqual({ ok: false, notFound: true });
    expect(await changeCampaignStatus(other, campaignId, "go_live")).toEqual({ ok: false, notFound: true });
    expect(await getCampaign(shopId, campaignId)).toEqual(before);
  });
});

describe("status", () => {
  it("goes Draft → Live → Paused → Live", async () => {
    expect(await changeCampaignStatus(shopId, campaignId, "pause")).toEqual({ ok: false, reason: "Only a Live campaign can be paused" });
    const live = await changeCampaignStatus(shopId, campaignId, "go_live");
    expect(live).toMatchObject({ ok: true, campaign: { status: "live", liveSince: expect.any(Date) } });
    expect(await changeCampaignStatus(shopId, campaignId, "go_live")).toEqual({ ok: false, reason: "The campaign is already Live" });
    expect(await changeCampaignStatus(shopId, campaignId, "pause")).toMatchObject({
      ok: true,
      campaign: { status: "paused", pausedAt: expect.any(Date) },
    });
    expect(await changeCampaignStatus(shopId, campaignId, "resume")).toMatchObject({
      ok: true,
      campaign: { status: "live", pausedAt: null },
    });
  });

  it("refuses to go Live while something blocks it, and says what", async () => {
    await prisma.shop.update({ where: { id: shopId }, data: { postalAddress: { ...ADDRESS, address1: null, city: null } } });
    const campaign = (await getCampaign(shopId, campaignId))!;
    expect(await problemsOf(shopId, campaign)).toEqual([
      { severity: "blocking", message: expect.stringMatching(/postal address.*missing: street, city/) },
    ]);
    expect(await changeCampaignStatus(shopId, campaignId, "go_live")).toEqual({
      ok: false,
      reason: expect.stringMatching(/postal address/),
    });
    expect((await getCampaign(shopId, campaignId))!.status).toBe("draft");

    await prisma.shop.update({ where: { id: shopId }, data: { syncedAt: null } });
    expect((await problemsOf(shopId, campaign)).map((problem) => problem.message)).toContain(
      "The customers and orders are still being read from Shopify",
    );
  });

  it("deletes a campaign: gone from the lists, its customers exit, nothing more is sent", async () => {
    await changeCampaignStatus(shopId, campaignId, "go_live");
    await prisma.enrollment.create({
      data: { shopId, campaignId, customerId: 1n, cycle: 1, holdout: false, enteredAt: new Date(), nextStep: 1, nextStepDueAt: new Date() },
    });
    const other = await readyShop();
    expect(await deleteCampaign(other, campaignId)).toBe(false);
    expect(await deleteCampaign(shopId, campaignId)).toBe(true);
    expect(await listCampaigns(shopId)).toEqual([]);
    expect(await getCampaign(shopId, campaignId)).toBeNull();
    expect(await changeCampaignStatus(shopId, campaignId, "resume")).toEqual({ ok: false, notFound: true });
    expect(await prisma.enrollment.findFirstOrThrow({ where: { campaignId } })).toMatchObject({
      status: "exited",
      exitReason: "campaign_deleted",
      nextStep: null,
    });
    expect(await deleteCampaign(shopId, campaignId)).toBe(false);
  });

  it("warns, without blocking, when nobody qualifies today", async () => {
    await execute("UPDATE customers SET email_marketing_state = 'UNSUBSCRIBED' WHERE shop_id = $1", [shopId]);
    const campaign = (await getCampaign(shopId, campaignId))!;
    expect(await problemsOf(shopId, campaign)).toEqual([
      { severity: "warning", message: expect.stringMatching(/No subscribed customer qualifies today/) },
    ]);
    expect(await changeCampaignStatus(shopId, campaignId, "go_live")).toMatchObject({ ok: true });
  });
});
