import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { installShop, setUpE2eApp } from "./support/app";
import { expectNoSeriousA11yViolations, openApp, pageProblems, screenshot } from "./support/browser";

const app = setUpE2eApp();

describe("the dashboard in Chromium, embedded as Shopify Admin loads it", () => {
  it("shows the merchant's store, passes the accessibility check and fetches with session tokens", async () => {
    await installShop("dash-alpha", { name: "Alpha Outfitters" });
    const page = await app.newPage();

    await openApp(page, "dash-alpha", "/app");

    await expect.poll(() => page.getByRole("heading", { name: "Win-back", exact: true, level: 1 }).isVisible()).toBe(true);
    await expect.poll(() => page.getByText("Alpha Outfitters").first().isVisible()).toBe(true);
    expect(existsSync(await screenshot(page, "dashboard"))).toBe(true);
    await expectNoSeriousA11yViolations(page);
    expect(pageProblems(page)).toEqual({ pageErrors: [], consoleErrors: [], blockedRequests: [] });

    // Remix's own data requests go through the stand-in's fetch, which adds the session token the
    // way App Bridge does; without it the app sends the request to login.
    const revalidated = page.waitForResponse((response) => new URL(response.url()).pathname === "/app.data");
    await page.evaluate(() => (window as unknown as { __remixRouter: { revalidate(): Promise<void> } }).__remixRouter.revalidate());
    expect((await revalidated).status()).toBe(200);
    const answers = await page.evaluate(async () => {
      const unpatched = (window as unknown as { __appBridgeStandIn: { originalFetch: typeof fetch } }).__appBridgeStandIn.originalFetch;
      const url = "/app.data?_routes=routes%2Fapp._index";
      const [withToken, withoutToken] = await Promise.all([fetch(url), unpatched(url)]);
      return {
        withToken: { status: withToken.status, body: await withToken.text() },
        withoutToken: { status: withoutToken.status, location: withoutToken.headers.get("location") },
      };
    });
    expect(answers.withToken.status).toBe(200);
    expect(answers.withToken.body).toContain("Alpha Outfitters");
    expect(answers.withoutToken).toEqual({ status: 202, location: "/auth/login" });
    expect(pageProblems(page).pageErrors).toEqual([]);
  });
});
