import { describe, expect, it } from "vitest";
import { hostParam, shopDomain } from "../support/shopify";
import { installShop, setUpE2eApp } from "./support/app";
import { appBridgeRecord, openApp, pageProblems, waitForHydration } from "./support/browser";

// The harness itself: what the App Bridge stand-in does for the app's pages.

const app = setUpE2eApp();

describe("the App Bridge stand-in", () => {
  it("reloads a load without a session token through Shopify's bounce page, as App Bridge does", async () => {
    await installShop("bounce-shop", { name: "Bounce Boutique" });
    const page = await app.newPage();
    await openApp(page, "bounce-shop", "/app");

    await page.goto(`/app?embedded=1&shop=${shopDomain("bounce-shop")}&host=${encodeURIComponent(hostParam("bounce-shop"))}`);
    await page.waitForURL((url) => url.pathname === "/app" && url.searchParams.has("id_token"));
    await waitForHydration(page);

    await expect.poll(() => page.getByText("Bounce Boutique").first().isVisible()).toBe(true);
    expect(pageProblems(page).pageErrors).toEqual([]);
  });

  it("signs same-origin fetches, records toasts, and shows modals and save bars with working buttons", async () => {
    await installShop("bridge-shop");
    const page = await app.newPage();
    await openApp(page, "bridge-shop", "/app");
    // A page of our own on the app's origin, using App Bridge as the app's components do.
    await page.route("**/stand-in-check", (route) =>
      route.fulfill({
        contentType: "text/html",
        body: `<!doctype html><html lang="en"><head><title>check</title></head><body>
          <script src="https://cdn.shopify.com/shopifycloud/app-bridge.js" data-api-key="check-key"></script>
          <ui-title-bar title="Campaigns"><button onclick="window.clicked = 'new'">New campaign</button></ui-title-bar>
          <ui-modal id="confirm"><ui-title-bar title="Delete campaign?">
            <button variant="primary" onclick="window.clicked = 'delete'">Delete</button></ui-title-bar></ui-modal>
          <ui-save-bar id="unsaved"><button variant="primary" onclick="window.clicked = 'save'">Save</button></ui-save-bar>
        </body></html>`,
      }),
    );
    await page.route("**/echo-authorization", (route) => route.fulfill({ body: route.request().headers()["authorization"] ?? "none" }));
    await page.goto("/stand-in-check");

    expect(await page.evaluate(() => window.shopify.config)).toMatchObject({ apiKey: "check-key", shop: shopDomain("bridge-shop") });
    const authorization = await page.evaluate(() => fetch("/echo-authorization").then((response) => response.text()));
    expect(authorization).toMatch(/^Bearer ey[\w-]+\.[\w-]+\.[\w-]+$/);

    await page.getByRole("button", { name: "New campaign" }).click();
    expect(await page.evaluate(() => (window as unknown as { clicked: string }).clicked)).toBe("new");

    await page.evaluate(() => window.shopify.toast.show("Campaign saved"));
    await page.evaluate(() => window.shopify.modal.show("confirm"));
    await page.getByRole("dialog", { name: "Delete campaign?" }).getByRole("button", { name: "Delete" }).click();
    expect(await page.evaluate(() => (window as unknown as { clicked: string }).clicked)).toBe("delete");
    await page.evaluate(() => window.shopify.modal.hide("confirm"));
    expect(await page.getByRole("dialog").count()).toBe(0);

    expect(await page.getByRole("button", { name: "Save" }).isVisible()).toBe(false);
    await page.evaluate(() => window.shopify.saveBar.show("unsaved"));
    await page.getByRole("button", { name: "Save" }).click();
    expect(await page.evaluate(() => (window as unknown as { clicked: string }).clicked)).toBe("save");

    expect(await appBridgeRecord(page)).toEqual({
      toasts: [{ message: "Campaign saved", isError: false }],
      loading: [],
      modals: [
        { id: "confirm", open: true },
        { id: "confirm", open: false },
      ],
      saveBars: [{ id: "unsaved", open: true }],
    });
  });
});
