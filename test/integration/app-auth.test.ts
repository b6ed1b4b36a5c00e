import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { env } from "../../app/env.server";
import { sessionStorage } from "../../app/shopify.server";
import { getQueue } from "../../app/jobs/client.server";
import { makeShop } from "../support/factories";
import { callRoute } from "../support/app-routes";
import { adminBearerRequest, adminDocumentRequest, forgedBearerRequest, offlineSession, shopDomain } from "../support/shopify";

// authenticate.admin with Shopify's own test helpers: session tokens signed like App Bridge's.

const install = (name: string, shopName: string) =>
  makeShop({ domain: shopDomain(name), name: shopName, currencyCode: "EUR", detailsSyncedAt: new Date() }, { session: true });

beforeEach(async () => {
  await prisma.session.deleteMany();
  await prisma.shop.deleteMany();
});

describe("embedded app routes", () => {
  it("serve the shop's own overview to a valid session token", async () => {
    await install("alpha", "Alpha Outfitters");

    const response = await callRoute("/app._index", await adminBearerRequest("alpha", "/app"));

    expect(response.status).toBe(200);
    const { overview } = await response.json();
    expect(overview).toMatchObject({ domain: "alpha.myshopify.com", name: "Alpha Outfitters", currencyCode: "EUR" });
    expect(overview.missingAddress).toEqual(["address1", "city", "country"]);
  });

  it("show the customer data sync, and read the store again on request, not while a read is running", async () => {
    await install("alpha", "Alpha Outfitters");
    await prisma.shop.update({
      where: { domain: "alpha.myshopify.com" },
      data: {
        syncState: "completed",
        customersImported: 1200,
        ordersImported: 3400,
        productsImported: 56,
        syncedAt: new Date("2026-11-20T10:00:00Z"),
      },
    });

    const { overview } = await (await callRoute("/app._index", await adminBearerRequest("alpha", "/app"))).json();
    expect(overview.sync).toMatchObject({
      state: "completed",
      customersImported: 1200,
      ordersImported: 3400,
      productsImported: 56,
      syncedAt: "2026-11-20T10:00:00.000Z",
    });

    const post = () =>
      adminBearerRequest("alpha", "/app?index", undefined, { method: "POST", body: new URLSearchParams({ intent: "resync" }) });
    expect(await (await callRoute("/app._index", await post())).json()).toEqual({ resyncStarted: true });
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: "alpha.myshopify.com" } });
    expect(shop.syncState).toBe("requested");
    expect((await getQueue("sync").getJobs(["waiting"])).map((job) => job.data)).toContainEqual({ shopId: shop.id });

    await prisma.shop.update({ where: { id: shop.id }, data: { syncState: "running" } });
    expect(await (await callRoute("/app._index", await post())).json()).toEqual({ resyncStarted: false });
  });

  it("keep shops apart: each token sees only its own shop", async () => {
    await install("alpha", "Alpha Outfitters");
    await install("beta", "Beta Bikes");

    const alpha = await (await callRoute("/app._index", await adminBearerRequest("alpha", "/app"))).json();
    const beta = await (await callRoute("/app._index", await adminBearerRequest("beta", "/app"))).json();

    expect(alpha.overview.name).toBe("Alpha Outfitters");
    expect(beta.overview.name).toBe("Beta Bikes");
  });

  it("complete a half-finished install: a session without a shop row gets one and a details job", async () => {
    await sessionStorage.storeSession(offlineSession(shopDomain("gamma"), env.SCOPES));

    const { overview } = await (await callRoute("/app._index", await adminBearerRequest("gamma", "/app"))).json();

    expect(overview).toMatchObject({ domain: "gamma.myshopify.com", detailsSyncedAt: null });
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: "gamma.myshopify.com" } });
    const jobs = await getQueue("shops").getJobs(["waiting"]);
    expect(jobs.map((job) => job.data)).toContainEqual({ shopId: shop.id });
  });

  it("accept a document request from Shopify Admin (embedded, id_token) on the app shell", async () => {
    await install("alpha", "Alpha Outfitters");

    const response = await callRoute("/app", await adminDocumentRequest("alpha", "/app"));

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ apiKey: env.SHOPIFY_API_KEY });
  });

  it.each(["wrong-secret", "wrong-audience", "expired"] as const)("reject a %s session token with 401", async (kind) => {
    await install("alpha", "Alpha Outfitters");

    const response = await callRoute("/app._index", await forgedBearerRequest("alpha", "/app", kind));

    expect(response.status).toBe(401);
    expect(await response.text()).not.toContain("Alpha Outfitters");
  });

  it("do not serve the page without a session token", async () => {
    await install("alpha", "Alpha Outfitters");

    const response = await callRoute("/app._index", new Request("https://winback.test/app?shop=alpha.myshopify.com&embedded=1"));

    expect(response.status).not.toBe(200);
    expect(await response.text()).not.toContain("Alpha Outfitters");
  });
});
