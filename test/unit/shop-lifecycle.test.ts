import { describe, expect, it } from "vitest";
import { isStaleScopesUpdate, isStaleShopRedact, isStaleUninstall, SHOP_REDACT_DELAY_MS } from "../../app/domain/shop-lifecycle";

const at = (iso: string) => new Date(iso);

describe("isStaleUninstall", () => {
  it("applies an uninstall that happened after the shop's latest authorization", () => {
    expect(isStaleUninstall({ authorizedAt: at("2026-11-01T00:00:00Z"), uninstalledAt: null }, at("2026-11-10T00:00:00Z"))).toBe(false);
  });

  it("ignores a late uninstall from before a reinstall", () => {
    expect(isStaleUninstall({ authorizedAt: at("2026-11-10T00:00:00Z"), uninstalledAt: null }, at("2026-11-09T00:00:00Z"))).toBe(true);
  });

  it("applies when we hold no shop row", () => {
    expect(isStaleUninstall(null, at("2026-11-09T00:00:00Z"))).toBe(false);
  });
});

describe("isStaleShopRedact", () => {
  const redactAt = at("2026-11-20T00:00:00Z");
  const uninstallBehindIt = new Date(redactAt.getTime() - SHOP_REDACT_DELAY_MS);

  it("redacts an uninstalled shop", () => {
    expect(isStaleShopRedact({ authorizedAt: at("2026-01-01T00:00:00Z"), uninstalledAt: uninstallBehindIt }, redactAt)).toBe(false);
  });

  it("keeps a shop authorized again after the uninstall the redaction follows", () => {
    const reinstalled = new Date(uninstallBehindIt.getTime() + 3600_000);
    expect(isStaleShopRedact({ authorizedAt: reinstalled, uninstalledAt: null }, redactAt)).toBe(true);
  });

  it("redacts a shop still marked installed but not authorized since (its uninstall webhook was lost)", () => {
    expect(isStaleShopRedact({ authorizedAt: at("2026-01-01T00:00:00Z"), uninstalledAt: null }, redactAt)).toBe(false);
  });
});

describe("isStaleScopesUpdate", () => {
  it("ignores a delivery older than the scopes change already applied", () => {
    const shop = { scopesUpdatedAt: at("2026-11-10T00:00:00Z") };
    expect(isStaleScopesUpdate(shop, at("2026-11-09T00:00:00Z"))).toBe(true);
    expect(isStaleScopesUpdate(shop, at("2026-11-10T00:00:00Z"))).toBe(false);
    expect(isStaleScopesUpdate({ scopesUpdatedAt: null }, at("2026-11-09T00:00:00Z"))).toBe(false);
    expect(isStaleScopesUpdate(null, at("2026-11-09T00:00:00Z"))).toBe(false);
  });
});
