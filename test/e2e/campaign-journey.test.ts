import { writeFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import prisma, { pool } from "../../app/db.server";
import { ensureReadyMadeCampaign, getCampaign } from "../../app/models/campaigns.server";
import { startWorkers, type RunningWorkers } from "../../workers/index";
import { startAppServer } from "../support/app-server";
import { runDueSteps } from "../support/due-steps";
import { eventually } from "../support/processes";
import { installApp } from "../support/shopify-emulator";
import { shopDomain } from "../support/shopify";
import { setUpE2eApp } from "./support/app";
import { expectNoSeriousA11yViolations, openApp, pageProblems, screenshot } from "./support/browser";

// The merchant's journey in Chromium, against a store in the emulator after a real back-fill:
// the dashboard, a field error and its fix in the editor, the preview for a real customer with a
// code, a test e-mail, the pre-launch check, Go Live, and the results after the engine has run.
const { emulator, sink, clock } = await vi.hoisted(() =>
  import("../support/emulator-fixture").then((fixture) => fixture.startEmulator({ smtp: true, clock: "frozen" })),
);

const app = setUpE2eApp();
const SHOP_NAME = "journey-shop";
const HOUR = 3_600_000;
let shopId: number;
let campaignId: number;
let workers: RunningWorkers;
let hooks: Awaited<ReturnType<typeof startAppServer>>;

beforeAll(async () => {
  hooks = await startAppServer();
  emulator.setAppUrl(hooks.url);
  emulator.addShop({ seed: "journey", customers: 120, shopName: SHOP_NAME });
  workers = await startWorkers();
  ({ shopId } = await installApp(emulator, shopDomain(SHOP_NAME)));
  await eventually(
    async () => (await prisma.shop.count({ where: { id: shopId, syncState: "completed", detailsSyncedAt: { not: null } } })) === 1,
    60_000,
  );
  campaignId = await ensureReadyMadeCampaign(shopId);
  // No learned ordering hours: the test decides when steps are due.
  await pool.query("UPDATE customers SET order_hours = '{}' WHERE shop_id = $1", [shopId]);
}, 120_000);

afterAll(async () => {
  await workers?.close();
  await hooks?.close();
  await emulator.close();
  await sink.close();
});

const runDue = (at: Date) => runDueSteps(at, clock);

describe("the merchant's journey", () => {
  it("edits the campaign, fixes a field error, previews and tests the e-mail, checks, goes Live and sees the results", async () => {
    const page = await app.newPage();
    await openApp(page, SHOP_NAME, "/app");
    await page.getByRole("heading", { name: "Today's audience" }).waitFor();
    await page
      .getByText(/buyers$/)
      .first()
      .waitFor();
    await screenshot(page, "journey-dashboard");
    await expectNoSeriousA11yViolations(page);

    // The editor: a lapse below the minimum is refused at its field, and nothing is lost.
    await page.getByRole("link", { name: "Edit" }).first().click();
    const days = page.getByLabel("Days without an order");
    await days.waitFor();
    await days.fill("3");
    await page.getByLabel("Subject").first().fill("Hello again, {{ customer.first_name }}");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    // The message is the field's own (its description), not only in the summary above the form.
    await expect.poll(() => days.getAttribute("aria-invalid"), { timeout: 10_000 }).toBe("true");
    const description = await days.evaluate((input) =>
      (input.getAttribute("aria-describedby") ?? "")
        .split(" ")
        .map((id) => document.getElementById(id)?.textContent)
        .join(" "),
    );
    expect(description).toContain("Use 7 to 730 days");
    expect(await page.getByText("Not saved: one field needs fixing").isVisible()).toBe(true);
    expect(await page.getByLabel("Subject").first().inputValue()).toBe("Hello again, {{ customer.first_name }}");
    await screenshot(page, "editor-field-error");
    await expectNoSeriousA11yViolations(page);

    await days.fill("30");
    await page.getByLabel("Quiet hours from").selectOption("0");
    await page.getByLabel("Quiet hours until").selectOption("0");
    await page.getByLabel("At most one win-back e-mail per customer every").fill("0");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByText("Saved", { exact: true }).waitFor();
    const saved = (await getCampaign(shopId, campaignId))!.settings;
    expect(saved).toMatchObject({
      audience: { lapse: { kind: "inactivity", days: 30 } },
      quietHours: { start: 0, end: 0 },
      frequencyCapHours: 0,
    });
    expect(saved.steps[0]!.content.subject).toBe("Hello again, {{ customer.first_name }}");
    await page.getByText(/subscribed customers qualify today/).waitFor();

    // The preview of step 2 for a real customer, with an example of their code.
    await page.getByRole("button", { name: "Preview this step" }).nth(1).click();
    await page.getByText(/example code WB-[0-9A-Z]{16}/).waitFor();
    const recipient = (await page.locator("p", { hasText: /^To / }).first().innerText()).replace(/^To /, "").split(" · ")[0]!.trim();
    const code = /WB-[0-9A-Z]{16}/.exec(await page.getByText(/example code WB-/).innerText())![0];
    const email = page.frameLocator('iframe[title^="E-mail preview"]');
    await email.getByText(recipient.split(" ")[0]!).filter({ visible: true }).first().waitFor();
    await email.getByText(code).filter({ visible: true }).first().waitFor();
    await screenshot(page, "editor-preview");
    await page.getByRole("button", { name: "Mobile" }).click();
    await page.locator('iframe[title="E-mail preview, mobile"]').waitFor();
    await screenshot(page, "editor-preview-mobile");

    await page.getByRole("button", { name: "Send test to me" }).click();
    await page.getByText(/^Test e-mail sent to /).waitFor();
    await sink.waitFor(1);
    const test = sink.received[0]!;
    expect(test.parsed.subject).toMatch(/^\[Test\] 10% off your next order, /);
    // The test e-mail as the merchant's mail app shows it (a screenshot for the README).
    const mailPage = await app.newPage();
    await mailPage.setContent(String(test.parsed.html));
    await screenshot(mailPage, "email-step-2");
    await writeFile("test/e2e/screenshots/email-step-2.html", String(test.parsed.html));

    // The pre-launch check, then Go Live.
    await page.getByRole("button", { name: "Pre-launch check" }).click();
    await page.getByRole("heading", { name: "Who enters when you go Live" }).waitFor();
    await page.getByText("Nothing blocks the launch").waitFor();
    await page.getByRole("heading", { name: /and why they qualify/ }).waitFor();
    expect(await page.getByText(/^last order \d+ days ago/).count()).toBeGreaterThan(0);
    await screenshot(page, "pre-launch-check");
    await expectNoSeriousA11yViolations(page);
    await page.getByRole("button", { name: "Go Live" }).click();
    await page.getByRole("heading", { name: "Incremental lift against the holdout" }).waitFor();
    expect((await getCampaign(shopId, campaignId))!.status).toBe("live");

    // The engine runs against the emulator: step 1, then step 2 with each customer's own code.
    await eventually(async () => (await prisma.enrollment.count({ where: { campaignId } })) > 0, 20_000);
    const contacted = await prisma.enrollment.count({ where: { campaignId, holdout: false } });
    const enteredAt = (await prisma.enrollment.findFirstOrThrow({ where: { campaignId } })).enteredAt;
    await runDue(new Date(enteredAt.getTime() + HOUR));
    await eventually(
      async () => (await prisma.emailSend.count({ where: { enrollment: { campaignId }, step: 1, status: "sent" } })) === contacted,
      30_000,
    );
    await runDue(new Date(enteredAt.getTime() + 4 * 24 * HOUR + HOUR));
    await eventually(
      async () => (await prisma.emailSend.count({ where: { enrollment: { campaignId }, step: 2, status: "sent" } })) === contacted,
      30_000,
    );

    // Opened again as Shopify Admin would (a reload of the admin page gives the frame a new id_token).
    await openApp(page, SHOP_NAME, `/app/campaigns/${campaignId}/results`);
    const funnel = page.getByRole("img", { name: "Funnel from entered to converted" });
    await funnel.waitFor();
    expect(await funnel.textContent()).toContain(`Step 1 sent${contacted.toLocaleString("en-US")}`);
    expect(await funnel.textContent()).toContain("Step 2 sent");
    await page.getByText(/^Not enough data yet: /).waitFor();
    await screenshot(page, "results");
    await expectNoSeriousA11yViolations(page);
    expect(pageProblems(page).pageErrors).toEqual([]);
  }, 180_000);
});
