import { existsSync, readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type AxeCore from "axe-core";
import { chromium, type Browser, type BrowserContext, type Page, type Response } from "playwright-core";
import { hostParam, sessionToken, shopDomain } from "../../support/shopify";

/**
 * Debian's Chromium driven by playwright-core, showing the app the way Shopify Admin embeds it:
 * a document load with embedded=1, shop, host and id_token, and App Bridge played by a stand-in
 * (app-bridge-stand-in.js) whose session tokens are minted here, signed with the app's secret.
 * Nothing but the app's own server is reached: cdn.shopify.com is answered locally, anything else
 * is blocked and listed in pageProblems().
 */

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const STAND_IN = readFileSync(path.join(here, "app-bridge-stand-in.js"), "utf8");
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const SCREENSHOT_DIR = path.resolve(here, "../screenshots");

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
// PLATFORM.md, "Local services": headless, no sandbox (root), nothing fetched in the background.
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: install Debian's package (apt-get install -y --no-install-recommends chromium)`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

interface ContextState {
  shopName?: string;
  problems: PageProblems;
}
const contexts = new WeakMap<BrowserContext, ContextState>();

export interface PageProblems {
  /** Uncaught exceptions in the page (React reports hydration mismatches this way too). */
  pageErrors: string[];
  consoleErrors: string[];
  /** Requests to anywhere but the app and cdn.shopify.com, which were refused. */
  blockedRequests: string[];
}

/** A page in a fresh browser context (own cookies and storage) pointed at the app's server. */
export async function newAppPage(browser: Browser, baseUrl: string): Promise<Page> {
  const appOrigin = new URL(baseUrl).origin;
  const context = await browser.newContext({
    baseURL: baseUrl,
    // Shopify's library answers bots with 410, and isbot counts "HeadlessChrome" as one.
    userAgent: `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${browser.version()} Safari/537.36`,
    locale: "en-US",
    // Not the server's UTC, so a date rendered differently by server and browser fails hydration.
    timezoneId: "America/Los_Angeles",
    viewport: { width: 1280, height: 900 },
  });
  const state: ContextState = { problems: { pageErrors: [], consoleErrors: [], blockedRequests: [] } };
  contexts.set(context, state);

  await context.exposeBinding("__winbackSessionToken", () => {
    if (!state.shopName) throw new Error("openApp() was not called: no shop to sign a session token for");
    return sessionToken(state.shopName);
  });
  await context.route("**/*", async (route) => {
    const url = new URL(route.request().url());
    if (url.origin === appOrigin) return route.continue();
    if (url.origin === "https://cdn.shopify.com") {
      if (url.pathname === "/shopifycloud/app-bridge.js") return route.fulfill({ contentType: "text/javascript", body: STAND_IN });
      return route.fulfill({ status: 200, contentType: url.pathname.endsWith(".css") ? "text/css" : "text/plain", body: "" });
    }
    state.problems.blockedRequests.push(url.href);
    return route.abort("blockedbyclient");
  });

  const page = await context.newPage();
  page.on("pageerror", (error) => state.problems.pageErrors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") state.problems.consoleErrors.push(message.text());
  });
  return page;
}

/**
 * Opens `path` (e.g. "/app" or "/app/campaigns?tab=2") as Shopify Admin loads an embedded app:
 * embedded=1, shop, host and a session token in id_token. Later session tokens (App Bridge's
 * idToken(), the Authorization header on the app's fetches) are for the same shop. Waits until
 * React has hydrated the page, so clicks go through the app's own handlers.
 */
export async function openApp(page: Page, shopName: string, path = "/app"): Promise<Response> {
  const state = contexts.get(page.context());
  if (!state) throw new Error("openApp() needs a page from newAppPage()");
  state.shopName = shopName;
  const url = new URL(path, "http://app.invalid");
  url.searchParams.set("embedded", "1");
  url.searchParams.set("shop", shopDomain(shopName));
  url.searchParams.set("host", hostParam(shopName));
  url.searchParams.set("id_token", await sessionToken(shopName));
  const response = await page.goto(`${url.pathname}${url.search}`);
  if (!response || response.status() >= 400) {
    throw new Error(`GET ${path} for ${shopName} answered ${response?.status()}: ${(await response?.text())?.slice(0, 500)}`);
  }
  await waitForHydration(page);
  return response;
}

/** Resolves once React has hydrated the document (after openApp or any full page load). */
export async function waitForHydration(page: Page): Promise<void> {
  await page.waitForFunction(() => Object.keys(document.body).some((key) => key.startsWith("__reactFiber$")));
}

/** Writes a full-page PNG to test/e2e/screenshots/<name>.png (git-ignored) and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Runs axe-core (WCAG 2 A and AA rules) on the page and fails listing every serious or critical
 * violation. `knownViolations` names rules that are waived until the app is fixed; it fails once
 * such a rule passes, so the waiver is removed with the fix.
 */
export async function expectNoSeriousA11yViolations(page: Page, options: { knownViolations?: string[] } = {}): Promise<void> {
  const knownViolations = options.knownViolations ?? [];
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: AXE });
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: typeof AxeCore }).axe;
    const results = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa"] }, resultTypes: ["violations"] });
    return results.violations
      .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
      .map((violation) => ({
        id: violation.id,
        rule: `${violation.id} (${violation.impact}): ${violation.help} ${violation.helpUrl}`,
        nodes: violation.nodes.map((node) => `${node.target.join(" ")}\n      ${node.failureSummary?.replace(/\n/g, "\n      ")}`),
      }));
  });
  const violations = found.filter((violation) => !knownViolations.includes(violation.id));
  if (violations.length > 0) {
    const list = violations.map((violation) => `- ${violation.rule}\n${violation.nodes.map((node) => `    ${node}`).join("\n")}`);
    const where = new URL(page.url()).pathname;
    throw new Error(`${violations.length} serious or critical accessibility violation(s) on ${where}:\n${list.join("\n")}`);
  }
  const fixed = knownViolations.filter((id) => !found.some((violation) => violation.id === id));
  if (fixed.length > 0) throw new Error(`No longer violated, remove from knownViolations: ${fixed.join(", ")}`);
}

export interface AppBridgeRecord {
  toasts: { message: string; isError: boolean }[];
  loading: boolean[];
  modals: { id: string; open: boolean }[];
  saveBars: { id: string; open: boolean }[];
}

/** What the page asked of App Bridge since its last full load (toasts shown, modals and save bars opened and closed). */
export async function appBridgeRecord(page: Page): Promise<AppBridgeRecord> {
  return page.evaluate(() => {
    const { toasts, loading, modals, saveBars } = (window as unknown as { __appBridgeStandIn: AppBridgeRecord }).__appBridgeStandIn;
    return { toasts, loading, modals, saveBars };
  });
}

export function pageProblems(page: Page): PageProblems {
  const state = contexts.get(page.context());
  if (!state) throw new Error("pageProblems() needs a page from newAppPage()");
  return state.problems;
}
