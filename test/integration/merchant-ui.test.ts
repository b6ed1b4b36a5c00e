import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import prisma, { pool } from "../../app/db.server";
import { defaultCampaignSettings, type CampaignSettings } from "../../app/domain/campaign";
import { closeMailTransport } from "../../app/email/mailer.server";
import { refreshAudienceSummary } from "../../app/models/audience-summary.server";
import { ensureReadyMadeCampaign, getCampaign } from "../../app/models/campaigns.server";
import { callRoute } from "../support/app-routes";
import { makeCustomers, makeEnrollments, makeShop, SPAIN_ADDRESS as ADDRESS, sql } from "../support/factories";
import { adminBearerRequest, shopDomain } from "../support/shopify";

// The merchant's pages through their loaders and actions, as App Bridge calls them (a session
// token per request), against the real database and a real SMTP server for the test send.
const sink = await vi.hoisted(() => import("../support/emulator-fixture").then((fixture) => fixture.startSmtpSink()));

afterAll(async () => {
  closeMailTransport();
  await sink.close();
});

/** An installed shop with its details read, its history synced and its ready-made campaign. */
async function installShop(name: string, options: { address?: boolean } = {}): Promise<{ shopId: number; campaignId: number }> {
  const shop = await makeShop(
    {
      domain: shopDomain(name),
      name: `Shop ${name}`,
      contactEmail: `owner@${name}.example`,
      currencyCode: "EUR",
      ianaTimezone: "Europe/Madrid",
      detailsSyncedAt: new Date(),
      postalAddress: options.address === false ? undefined : ADDRESS,
      syncState: "completed",
      syncedAt: new Date(),
    },
    { session: true },
  );
  return { shopId: shop.id, campaignId: await ensureReadyMadeCampaign(shop.id) };
}

/** Lapsed subscribed customers 1..n, with scores (every fifth one "can't lose"), and one recent buyer. */
async function addCustomers(shopId: number, n: number): Promise<void> {
  await makeCustomers(shopId, n, {
    firstName: sql("'Name' || i"),
    lastName: "Family",
    ordersCount: 5,
    totalSpent: 400,
    lastOrderAt: sql("now() - make_interval(days => 100 + i)"),
    rScore: sql("CASE WHEN i % 5 = 0 THEN 1 ELSE 3 END"),
    fScore: sql("CASE WHEN i % 5 = 0 THEN 5 ELSE 2 END"),
    mScore: sql("CASE WHEN i % 5 = 0 THEN 5 ELSE 2 END"),
    shopifyRfmGroup: sql("CASE WHEN i % 2 = 0 THEN 'AT_RISK' ELSE 'DORMANT' END"),
  });
  await makeCustomers(shopId, [
    {
      id: 100000,
      email: "recent@example.com",
      firstName: "Rita",
      lastName: "Recent",
      ordersCount: 1,
      totalSpent: 50,
      lastOrderAt: new Date(Date.now() - 3 * 86_400_000),
      rScore: 5,
      fScore: 1,
      mScore: 1,
      shopifyRfmGroup: "NEW",
    },
  ]);
}

const get = async (shop: string, path: string, route: string, params: Record<string, string> = {}) =>
  callRoute(route, await adminBearerRequest(shop, path), params);
const post = async (shop: string, path: string, route: string, body: unknown, params: Record<string, string> = {}) =>
  callRoute(
    route,
    await adminBearerRequest(shop, path, undefined, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    }),
    params,
  );
const postForm = async (shop: string, path: string, route: string, form: Record<string, string>, params: Record<string, string> = {}) =>
  callRoute(route, await adminBearerRequest(shop, path, undefined, { method: "POST", body: new URLSearchParams(form) }), params);

const EDITOR = "/app/campaigns/$id";
const CHECK = "/app/campaigns/$id_/check";

function edited(change: (settings: CampaignSettings) => void): CampaignSettings {
  const settings = structuredClone(defaultCampaignSettings());
  change(settings);
  return settings;
}

beforeEach(async () => {
  await prisma.session.deleteMany();
  await prisma.shop.deleteMany();
  sink.received.length = 0;
});

describe("dashboard", () => {
  it("shows today's lapsed audience by segment and Shopify group, and each campaign with what needs attention", async () => {
    const { shopId } = await installShop("alpha");
    await addCustomers(shopId, 20);
    await pool.query("UPDATE customers SET email_marketing_state = 'UNSUBSCRIBED' WHERE shop_id = $1 AND id IN (1, 2)", [shopId]);
    await refreshAudienceSummary(shopId);

    const response = await get("alpha", "/app", "/app._index");
    expect(response.status).toBe(200);
    const dashboard = await response.json();
    expect(dashboard.audience).toMatchObject({ lapsedDays: 90, buyers: 21, lapsed: 20, subscribed: 18 });
    expect(dashboard.audience.bySegment).toEqual([
      { segment: "cant_lose", label: "Can't lose", customers: 4, subscribed: 4 },
      { segment: "at_risk", label: "At risk", customers: 0, subscribed: 0 },
      { segment: "other", label: "Other lapsed", customers: 16, subscribed: 14 },
    ]);
    expect(dashboard.audience.byShopifyGroup).toEqual(
      expect.arrayContaining([
        { group: "AT_RISK", customers: 10, subscribed: 9 },
        { group: "DORMANT", customers: 10, subscribed: 9 },
      ]),
    );
    expect(dashboard.campaigns).toEqual([
      expect.objectContaining({ name: "Win-Back", status: "draft", attention: "Ready to go Live: run the pre-launch check", entered: 0 }),
    ]);
  });

  it("says why a campaign cannot go Live, and creates another campaign in Draft", async () => {
    await installShop("alpha", { address: false });
    const { campaigns } = await (await get("alpha", "/app", "/app._index")).json();
    expect(campaigns[0].attention).toMatch(/postal address/);

    const created = await postForm("alpha", "/app?index", "/app._index", { intent: "create_campaign" });
    expect(created.status).toBe(302);
    const id = Number(created.headers.get("location")!.split("/").pop());
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: shopDomain("alpha") } });
    expect(await getCampaign(shop.id, id)).toMatchObject({
      status: "draft",
      handle: "campaign-2",
      settings: expect.objectContaining({ name: "Win-Back 2" }),
    });
  });
});

describe("Shopify Flow setting", () => {
  it("turns the triggers on and off for the shop, from now on", async () => {
    const { shopId } = await installShop("alpha");
    expect((await (await get("alpha", "/app", "/app._index")).json()).flowTriggers).toBe(false);

    const before = Date.now();
    expect(await (await postForm("alpha", "/app?index", "/app._index", { intent: "flow_on" })).json()).toEqual({ flowTriggers: true });
    const { settings } = await prisma.shop.findUniqueOrThrow({ where: { id: shopId } });
    expect(Date.parse((settings as { flow: { since: string } }).flow.since)).toBeGreaterThanOrEqual(before);
    expect((await (await get("alpha", "/app", "/app._index")).json()).flowTriggers).toBe(true);

    await postForm("alpha", "/app?index", "/app._index", { intent: "flow_off" });
    expect((await (await get("alpha", "/app", "/app._index")).json()).flowTriggers).toBe(false);
  });
});

describe("campaign editor", () => {
  it("refuses a save with every field error at its field, and saves nothing", async () => {
    const { shopId, campaignId } = await installShop("alpha");
    const before = await getCampaign(shopId, campaignId);
    const settings = edited((draft) => {
      draft.holdoutPercent = 80;
      draft.audience.lapse = { kind: "inactivity", days: 3 };
      draft.steps[1]!.content.body = "<p>{{ customer.favourite_colour }}</p>";
      draft.steps[2]!.delayHours = 24;
    });

    const response = await post(
      "alpha",
      `/app/campaigns/${campaignId}`,
      EDITOR,
      { intent: "save", settings, email: { senderName: "", replyTo: "not-an-address" } },
      { id: String(campaignId) },
    );

    expect(response.status).toBe(400);
    const { fieldErrors } = await response.json();
    expect(fieldErrors).toMatchObject({
      holdoutPercent: "The holdout must be 0 to 50%",
      "audience.lapse.days": "Use 7 to 730 days",
      "steps.2.delayHours": "Step 3 must come after step 2",
      "email.replyTo": "Enter an e-mail address like name@example.com",
    });
    // Liquid is checked only once the schema passes; fix the others and the template error shows.
    const templateOnly = await post(
      "alpha",
      `/app/campaigns/${campaignId}`,
      EDITOR,
      { intent: "save", settings: edited((draft) => (draft.steps[1]!.content.body = "<p>{{ customer.favourite_colour }}</p>")), email: {} },
      { id: String(campaignId) },
    );
    expect((await templateOnly.json()).fieldErrors).toEqual({ "steps.1.content.body": expect.stringContaining("favourite_colour") });
    expect(await getCampaign(shopId, campaignId)).toEqual(before);
  });

  it("saves the settings and the shop's sender settings together", async () => {
    const { shopId, campaignId } = await installShop("alpha");
    const settings = edited(
      (draft) => ((draft.holdoutPercent = 20), (draft.steps[0]!.content.subject = "Hello again, {{ customer.first_name }}")),
    );

    const response = await post(
      "alpha",
      `/app/campaigns/${campaignId}`,
      EDITOR,
      { intent: "save", settings, email: { senderName: "Ana at Alpha", replyTo: "ana@alpha.example" } },
      { id: String(campaignId) },
    );

    expect(await response.json()).toEqual({ saved: true });
    expect((await getCampaign(shopId, campaignId))!.settings).toMatchObject({ holdoutPercent: 20 });
    const shop = await prisma.shop.findUniqueOrThrow({ where: { id: shopId } });
    expect(shop.settings).toEqual({ email: { senderName: "Ana at Alpha", replyTo: "ana@alpha.example" } });
    const editor = await (await get("alpha", `/app/campaigns/${campaignId}`, EDITOR, { id: String(campaignId) })).json();
    expect(editor.email).toEqual({ senderName: "Ana at Alpha", replyTo: "ana@alpha.example" });
  });

  it("counts who qualifies for the audience as edited", async () => {
    const { shopId, campaignId } = await installShop("alpha");
    await addCustomers(shopId, 20);
    const count = async (audience: unknown) =>
      (
        await post(
          "alpha",
          `/app/campaigns/${campaignId}/audience`,
          "/app/campaigns/$id_/audience",
          { audience },
          { id: String(campaignId) },
        )
      ).json();
    const audience = defaultCampaignSettings().audience;

    expect(await count(audience)).toEqual({ count: 20 });
    expect(await count({ ...audience, lapse: { kind: "inactivity", days: 111 } })).toEqual({ count: 10 });
    expect(await count({ ...audience, segment: { kind: "preset", preset: "cant_lose" } })).toEqual({ count: 4 });
    expect(await count({ ...audience, segment: { kind: "shopify_rfm_groups", groups: [] } })).toEqual({ error: expect.any(String) });
  });

  it("previews a step for a real customer with an example code, and sends the test to the merchant", async () => {
    const { shopId, campaignId } = await installShop("alpha");
    await addCustomers(shopId, 3);
    const steps = defaultCampaignSettings().steps;
    const preview = async (body: Record<string, unknown>) =>
      (await post("alpha", `/app/campaigns/${campaignId}/preview`, "/app/campaigns/$id_/preview", body, { id: String(campaignId) })).json();

    const shown = await preview({ intent: "preview", steps, stepIndex: 1, customerId: "2" });
    expect(shown).toMatchObject({
      ok: true,
      subject: "10% off your next order, Name2",
      customer: { id: "2", name: "Name2 Family" },
      code: expect.stringMatching(/^WB-[0-9A-Z]{16}$/),
    });
    expect(shown.html).toContain("Name2");
    expect(shown.html).toContain(shown.code);
    expect(shown.html).not.toContain("/t/c/"); // nothing tracked from a preview

    const broken = structuredClone(steps);
    broken[0]!.content.subject = "{{ nope }}";
    expect(await preview({ intent: "preview", steps: broken, stepIndex: 0, customerId: null })).toMatchObject({
      ok: false,
      fieldErrors: { subject: expect.any(String) },
    });

    expect(await preview({ intent: "test", steps, stepIndex: 2, customerId: "3" })).toEqual({ ok: true, to: "owner@alpha.example" });
    await sink.waitFor(1);
    expect(sink.received[0]!.envelope.to).toEqual(["owner@alpha.example"]);
    expect(sink.received[0]!.parsed.subject).toBe("[Test] Last chance: 15% off, Name3");
    expect(await prisma.emailSend.findFirstOrThrow({ where: { shopId } })).toMatchObject({
      status: "sent",
      testRecipient: "owner@alpha.example",
    });
  });
});

describe("pre-launch check and status", () => {
  it("shows who enters, the holdout, the ramp, the codes and their worst case; Go Live is refused while something blocks it", async () => {
    const { shopId, campaignId } = await installShop("alpha", { address: false });
    await addCustomers(shopId, 40);
    const params = { id: String(campaignId) };

    const { check, campaign: checked } = await (await get("alpha", `/app/campaigns/${campaignId}/check`, CHECK, params)).json();
    expect(check.entrants).toBe(40);
    expect(check.contacted + check.holdout).toBe(40);
    expect(check.holdout).toBeGreaterThan(0);
    expect(check.samples).toHaveLength(10);
    expect(check.samples[0].reason).toMatch(/^last order \d+ days ago/);
    expect(check.ramp).toMatchObject({ perHour: 2000, startsAfterHours: 0, hours: [check.contacted], totalHours: 1 });
    expect(check.codes).toBe(check.contacted * 2);
    // Each customer's usual order is 400 / 5 = 80; the biggest code is 15%.
    expect(check.worstCaseDiscount).toBeCloseTo(check.contacted * 12, 6);
    expect(check.canGoLive).toBe(false);
    expect(check.problems[0]).toMatchObject({ severity: "blocking", message: expect.stringContaining("postal address") });

    const refused = await postForm("alpha", `/app/campaigns/${campaignId}/check`, CHECK, { version: checked.version }, params);
    expect(refused.status).toBe(409);
    expect((await getCampaign(shopId, campaignId))!.status).toBe("draft");
    expect(await prisma.enrollment.count()).toBe(0);

    await prisma.shop.update({ where: { id: shopId }, data: { postalAddress: ADDRESS } });
    // Settings saved after the check (another tab): Go Live asks for the check again.
    await post(
      "alpha",
      `/app/campaigns/${campaignId}`,
      EDITOR,
      { intent: "save", settings: edited((draft) => (draft.holdoutPercent = 20)), email: {} },
      params,
    );
    const stale = await postForm("alpha", `/app/campaigns/${campaignId}/check`, CHECK, { version: checked.version }, params);
    expect(await stale.json()).toEqual({ refused: expect.stringContaining("changed after this check") });
    const { campaign: rechecked } = await (await get("alpha", `/app/campaigns/${campaignId}/check`, CHECK, params)).json();
    const launched = await postForm("alpha", `/app/campaigns/${campaignId}/check`, CHECK, { version: rechecked.version }, params);
    expect(launched.status).toBe(302);
    expect(launched.headers.get("location")).toBe(`/app/campaigns/${campaignId}/results`);
    expect((await getCampaign(shopId, campaignId))!.status).toBe("live");

    const paused = await post("alpha", `/app/campaigns/${campaignId}`, EDITOR, { intent: "pause" }, params);
    expect(await paused.json()).toEqual({ statusChanged: "paused" });
    const resumed = await post("alpha", `/app/campaigns/${campaignId}`, EDITOR, { intent: "resume" }, params);
    expect(await resumed.json()).toEqual({ statusChanged: "live" });
    const again = await post("alpha", `/app/campaigns/${campaignId}`, EDITOR, { intent: "resume" }, params);
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({ refused: "Only a paused campaign can be resumed" });
  });

  it("forecasts exactly whom the enrollment then enters", async () => {
    const { shopId, campaignId } = await installShop("alpha");
    await addCustomers(shopId, 60);
    const { check } = await (await get("alpha", `/app/campaigns/${campaignId}/check`, CHECK, { id: String(campaignId) })).json();
    const { enrollEligible } = await import("../../app/models/enrollments.server");
    const entered = await enrollEligible(shopId, campaignId, (await getCampaign(shopId, campaignId))!.settings);
    expect(entered).toEqual({ contacted: check.contacted, holdout: check.holdout });
  });
});

describe("results", () => {
  it("lists the campaign's customers with state and exit reason, paged and searchable, and exports them as CSV", async () => {
    const { shopId, campaignId } = await installShop("alpha");
    await addCustomers(shopId, 30);
    await makeEnrollments(shopId, campaignId, 30, {
      holdout: sql("i % 10 = 0"),
      status: sql("CASE WHEN i % 3 = 0 THEN 'exited' ELSE 'active' END"),
      exitReason: sql("CASE WHEN i % 3 = 0 THEN 'ordered_on_their_own' END"),
      enteredAt: sql("now() - make_interval(hours => i)"),
      lastStepSent: 1,
    });
    await pool.query("UPDATE customers SET first_name = '=HYPERLINK(1)' WHERE shop_id = $1 AND id = 7", [shopId]);
    const params = { id: String(campaignId) };

    const first = await (await get("alpha", `/app/campaigns/${campaignId}/results`, "/app/campaigns/$id_/results", params)).json();
    expect(first.results).toMatchObject({ entered: 30, holdout: 3, contacted: 27 });
    expect(first.results.lift).toMatchObject({ enoughData: false });
    expect(first.customers.rows).toHaveLength(25);
    expect(first.customers.hasNext).toBe(true);
    const list = async (body: unknown) =>
      (await post("alpha", `/app/campaigns/${campaignId}/customers`, "/app/campaigns/$id_/customers", body, params)).json();
    const second = await list({ search: "", page: 2 });
    expect(second).toMatchObject({ page: 2, hasNext: false });
    expect(second.rows).toHaveLength(5);
    const found = await list({ search: "customer12@", page: 1 });
    expect(found.rows).toEqual([
      expect.objectContaining({ customerId: "12", name: "Name12 Family", status: "exited", exitReason: "ordered_on_their_own" }),
    ]);

    const csv = await get("alpha", `/app/campaigns/${campaignId}/export`, "/app/campaigns/$id_/export", params);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const lines = (await csv.text()).trim().split("\n");
    expect(lines[0]).toBe(
      "customer_id,first_name,last_name,email,group,status,exit_reason,entered_at,last_step_sent,converted_at,conversion_order_id,conversion_revenue",
    );
    expect(lines).toHaveLength(31);
    expect(lines.find((line) => line.startsWith("7,"))).toContain(`'=HYPERLINK(1)`);
  });
});

describe("tenant isolation", () => {
  it("gives shop B a 404 for every page and action of shop A's campaign, and changes nothing", async () => {
    const alpha = await installShop("alpha");
    await installShop("beta");
    const id = String(alpha.campaignId);
    const before = await getCampaign(alpha.shopId, alpha.campaignId);
    const as = (route: string, path: string) => ({ route, path: path.replace("ID", id) });
    const pages = [
      as(EDITOR, "/app/campaigns/ID"),
      as(CHECK, "/app/campaigns/ID/check"),
      as("/app/campaigns/$id_/results", "/app/campaigns/ID/results"),
      as("/app/campaigns/$id_/export", "/app/campaigns/ID/export"),
    ];
    for (const { route, path } of pages) expect((await get("beta", path, route, { id })).status, path).toBe(404);

    const actions: [string, string, unknown][] = [
      [EDITOR, "/app/campaigns/ID", { intent: "save", settings: edited((draft) => (draft.holdoutPercent = 0)), email: {} }],
      [EDITOR, "/app/campaigns/ID", { intent: "pause" }],
      [EDITOR, "/app/campaigns/ID", { intent: "delete" }],
      [
        "/app/campaigns/$id_/preview",
        "/app/campaigns/ID/preview",
        { intent: "preview", steps: defaultCampaignSettings().steps, stepIndex: 0, customerId: null },
      ],
      ["/app/campaigns/$id_/audience", "/app/campaigns/ID/audience", { audience: defaultCampaignSettings().audience }],
      ["/app/campaigns/$id_/customers", "/app/campaigns/ID/customers", { search: "", page: 1 }],
    ];
    for (const [route, path, body] of actions)
      expect((await post("beta", path.replace("ID", id), route, body, { id })).status, path).toBe(404);
    expect((await postForm("beta", `/app/campaigns/${id}/check`, CHECK, {}, { id })).status).toBe(404);

    expect(await getCampaign(alpha.shopId, alpha.campaignId)).toEqual(before);
  });

  it("shows each shop only its own customers in the preview picker", async () => {
    const alpha = await installShop("alpha");
    const beta = await installShop("beta");
    await addCustomers(alpha.shopId, 2);
    await makeCustomers(beta.shopId, [{ id: 9, email: "b@beta.example", firstName: "Bea", ordersCount: 1, emailMarketingState: null }]);
    const search = async (q: string) => (await post("beta", "/app/customers", "/app/customers", { q })).json();
    expect((await search("")).customers).toEqual([{ id: "9", name: "Bea", email: "b@beta.example" }]);
    expect((await search("Name1")).customers).toEqual([]);

    // Nor can shop B preview or test-send with shop A's customer through its own campaign.
    const steps = defaultCampaignSettings().steps;
    const preview = (intent: string) =>
      post(
        "beta",
        `/app/campaigns/${beta.campaignId}/preview`,
        "/app/campaigns/$id_/preview",
        { intent, steps, stepIndex: 0, customerId: "1" },
        { id: String(beta.campaignId) },
      );
    expect(await (await preview("preview")).json()).toEqual({ ok: false, reason: "No such customer" });
    expect(await (await preview("test")).json()).toEqual({ ok: false, reason: "Choose a customer to send the test with" });
    expect(sink.received).toHaveLength(0);
  });
});

describe("requests the pages do not know", () => {
  it("answers an unknown or missing intent on the home page with 400, and neither re-reads the store nor creates anything", async () => {
    const { shopId } = await installShop("alpha");
    const before = await prisma.shop.findUniqueOrThrow({ where: { id: shopId } });

    const unknown = await postForm("alpha", "/app?index", "/app._index", { intent: "resync_all" });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({
      error: 'Unknown intent "resync_all": expected one of create_campaign, flow_on, flow_off, resync',
    });
    const missing = await postForm("alpha", "/app?index", "/app._index", {});
    expect(missing.status).toBe(400);
    expect((await missing.json()).error).toMatch(/^Missing intent/);

    expect(await prisma.shop.findUniqueOrThrow({ where: { id: shopId } })).toEqual(before);
    expect(await prisma.campaign.count({ where: { shopId } })).toBe(1);
  });

  it("answers an unknown or malformed editor request with 400 and changes nothing", async () => {
    const { shopId, campaignId } = await installShop("alpha");
    const params = { id: String(campaignId) };
    const before = await getCampaign(shopId, campaignId);
    const editor = (body: unknown) => post("alpha", `/app/campaigns/${campaignId}`, EDITOR, body, params);

    const unknown = await editor({ intent: "publish", settings: edited((draft) => (draft.holdoutPercent = 0)) });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({ error: 'Unknown intent "publish": expected one of save, pause, resume, delete' });
    for (const body of ["save", ["pause"], null]) {
      const malformed = await editor(body);
      expect(malformed.status).toBe(400);
      expect(await malformed.json()).toEqual({ error: "Malformed request: expected an object with an intent" });
    }
    const notJson = await callRoute(
      EDITOR,
      await adminBearerRequest("alpha", `/app/campaigns/${campaignId}`, undefined, { method: "POST", body: "intent=delete" }),
      params,
    );
    expect(notJson.status).toBe(400);

    expect(await getCampaign(shopId, campaignId)).toEqual(before);
  });

  it("answers an unknown preview intent with 400 and sends nothing", async () => {
    const { campaignId } = await installShop("alpha");
    const steps = defaultCampaignSettings().steps;
    const answer = await post(
      "alpha",
      `/app/campaigns/${campaignId}/preview`,
      "/app/campaigns/$id_/preview",
      { intent: "send", steps, stepIndex: 0, customerId: null },
      { id: String(campaignId) },
    );
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({ ok: false, reason: 'Unknown intent "send": expected one of preview, test' });
    expect(sink.received).toHaveLength(0);
    expect(await prisma.emailSend.count()).toBe(0);
  });
});
