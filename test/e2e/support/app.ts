import type { Prisma } from "@prisma/client";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, inject } from "vitest";
import type { PostalAddress } from "../../../app/domain/shop-details";
import { ensureReadyMadeCampaign } from "../../../app/models/campaigns.server";
import { startBuiltApp, type RunningApp } from "../../support/built-app";
import { makeShop } from "../../support/factories";
import { shopDomain } from "../../support/shopify";
import { launchChromium, newAppPage, screenshot } from "./browser";

export interface E2eApp {
  /** The app's server, e.g. http://127.0.0.1:41234 (also its SHOPIFY_APP_URL). */
  readonly baseUrl: string;
  /** A page in its own browser context, closed after the test. */
  newPage(): Promise<Page>;
  /** What `npm start` printed (set TEST_LOG_LEVEL=debug for the app's logs). */
  serverOutput(): string;
}

/**
 * For one e2e test file: `npm start` on the run's build (global-setup.ts) with this file's
 * database and queue prefix, and a Chromium. A test that fails leaves a screenshot of each of its
 * pages as test/e2e/screenshots/failed-<test>-<n>.png.
 */
export function setUpE2eApp(): E2eApp {
  let server: RunningApp | undefined;
  let browser: Browser | undefined;
  const pages: Page[] = [];

  beforeAll(async () => {
    // The app's URL is the server's own, so Shopify's redirects (the session-token bounce) come back to it.
    const starting = startBuiltApp(inject("e2eBuildDir"), (baseUrl) => ({ SHOPIFY_APP_URL: baseUrl })).then((app) => (server = app));
    const launching = launchChromium().then((launched) => (browser = launched));
    await Promise.all([starting, launching]);
  });

  afterEach(async ({ task }) => {
    const open = pages.splice(0);
    if (task.result?.state === "fail") {
      const name = task.name.replace(/[^\w-]+/g, "-").slice(0, 80);
      await Promise.all(open.map((page, index) => screenshot(page, `failed-${name}-${index + 1}`).catch(() => {})));
    }
    await Promise.all(open.map((page) => page.context().close()));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  return {
    get baseUrl() {
      if (!server) throw new Error("the app is not started yet (use baseUrl inside a test or hook)");
      return server.baseUrl;
    },
    async newPage() {
      if (!server || !browser) throw new Error("the app is not started yet (call newPage inside a test or hook)");
      const page = await newAppPage(browser, server.baseUrl);
      pages.push(page);
      return page;
    },
    serverOutput: () => server?.output() ?? "",
  };
}

/** A postal address with every part the e-mail footer needs (app/domain/shop-details.ts). */
export const COMPLETE_ADDRESS: PostalAddress = {
  company: null,
  address1: "1200 NW Naito Pkwy",
  address2: "Suite 4",
  city: "Portland",
  province: "Oregon",
  provinceCode: "OR",
  zip: "97209",
  country: "United States",
  countryCodeV2: "US",
};

export type ShopDetails = Omit<Prisma.ShopUncheckedCreateInput, "domain" | "id">;

/**
 * Installs `<shopName>.myshopify.com` as a finished install looks: the offline session token
 * exchange stores (with the app's scopes), the shop's details read from Shopify (complete postal
 * address), the first import done, and the ready-made campaign. `details` overrides any column.
 * Nothing is queued, so no worker is needed. Use a new shop name in each test of a file.
 */
export async function installShop(shopName: string, details: ShopDetails = {}): Promise<{ id: number; domain: string }> {
  const domain = shopDomain(shopName);
  const now = new Date();
  const shop = await makeShop(
    {
      domain,
      name: "Alpha Outfitters",
      contactEmail: `owner@${shopName}.example`,
      ianaTimezone: "America/New_York",
      currencyCode: "USD",
      primaryDomainUrl: `https://${shopName}.example`,
      postalAddress: COMPLETE_ADDRESS as Prisma.InputJsonValue,
      detailsSyncedAt: now,
      syncState: "completed",
      syncedAt: now,
      ...details,
    },
    { session: true },
  );
  await ensureReadyMadeCampaign(shop.id);
  return { id: shop.id, domain };
}
