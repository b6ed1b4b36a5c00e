import { getHmac } from "@shopify/shopify-api/test-helpers";
import { describe, expect, it } from "vitest";
import { isShopDomain, isValidShopifyHmac, shopNamedInPayload } from "../../app/domain/webhook-delivery";

const secret = "app-secret";
const bytes = (text: string) => new TextEncoder().encode(text);

describe("isValidShopifyHmac", () => {
  const body = '{"id":1,"note":"café \\u0000"}';

  it("accepts the signature Shopify computes (base64 HMAC-SHA256 of the raw body)", () => {
    expect(isValidShopifyHmac(bytes(body), getHmac(body, secret), secret)).toBe(true);
  });

  it("refuses another secret, another body, a truncated or garbage signature", () => {
    expect(isValidShopifyHmac(bytes(body), getHmac(body, "other-secret"), secret)).toBe(false);
    expect(isValidShopifyHmac(bytes(`${body} `), getHmac(body, secret), secret)).toBe(false);
    expect(isValidShopifyHmac(bytes(body), getHmac(body, secret).slice(0, 20), secret)).toBe(false);
    expect(isValidShopifyHmac(bytes(body), "%%%not base64%%%", secret)).toBe(false);
    expect(isValidShopifyHmac(bytes(body), "", secret)).toBe(false);
  });
});

describe("isShopDomain", () => {
  it("accepts myshopify domains and configured custom domains only", () => {
    expect(isShopDomain("acme-store.myshopify.com")).toBe(true);
    expect(isShopDomain("ACME.myshopify.com")).toBe(true);
    expect(isShopDomain("acme.myshopify.com.evil.com")).toBe(false);
    expect(isShopDomain("-acme.myshopify.com")).toBe(false);
    expect(isShopDomain("acme.example.com")).toBe(false);
    expect(isShopDomain("acme.shops.example.com", ["shops.example.com"])).toBe(true);
  });
});

describe("shopNamedInPayload", () => {
  it("reads the shop a compliance or uninstall body names", () => {
    expect(shopNamedInPayload("shop/redact", { shop_id: 1, shop_domain: "a.myshopify.com" })).toBe("a.myshopify.com");
    expect(shopNamedInPayload("customers/redact", { shop_domain: "A.myshopify.com" })).toBe("a.myshopify.com");
    expect(shopNamedInPayload("customers/data_request", { shop_domain: "a.myshopify.com" })).toBe("a.myshopify.com");
    expect(shopNamedInPayload("app/uninstalled", { id: 1, myshopify_domain: "a.myshopify.com", domain: "a.com" })).toBe("a.myshopify.com");
  });

  it("finds nothing where the body does not carry the shop", () => {
    expect(shopNamedInPayload("orders/create", { shop_domain: "a.myshopify.com" })).toBeUndefined();
    expect(shopNamedInPayload("shop/redact", {})).toBeUndefined();
    expect(shopNamedInPayload("shop/redact", null)).toBeUndefined();
  });
});
