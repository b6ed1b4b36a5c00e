import { describe, expect, it } from "vitest";
import { createLinkToken, emailHash, linkKeyFrom, verifyLinkToken } from "../../app/domain/link-tokens";
import { sendBlocker, type SendFacts } from "../../app/domain/send-checks";

const key = linkKeyFrom("app-secret");
const sentAt = new Date("2026-11-23T10:00:00Z");
const days = (n: number) => new Date(sentAt.getTime() + n * 86_400_000);
const click = { kind: "c" as const, shopId: 7, sendId: 123456789012n, customerId: 7000000000042n, link: 3 };

describe("e-mail link tokens", () => {
  it("carries the shop, send, customer and link, and nothing else readable", () => {
    const raw = createLinkToken(key, click, sentAt);
    expect(verifyLinkToken(key, raw, "c", days(1))).toEqual({ ok: true, token: { ...click, expiresAt: days(180) } });
    expect(Buffer.from(raw.split(".")[0]!, "base64url").toString()).not.toMatch(/@/);
  });

  it("refuses a token altered in any way, signed with another key, or used as another kind", () => {
    const raw = createLinkToken(key, click, sentAt);
    const [data, signature] = raw.split(".") as [string, string];
    const otherLink = Buffer.from(Buffer.from(data, "base64url").toString().replace('"l":3', '"l":4')).toString("base64url");
    const otherShop = Buffer.from(Buffer.from(data, "base64url").toString().replace('"s":7', '"s":8')).toString("base64url");
    expect(verifyLinkToken(key, `${otherLink}.${signature}`, "c", days(1))).toEqual({ ok: false, reason: "forged" });
    expect(verifyLinkToken(key, `${otherShop}.${signature}`, "c", days(1))).toEqual({ ok: false, reason: "forged" });
    expect(verifyLinkToken(key, `${data}.${signature.slice(0, -1)}A`, "c", days(1)).ok).toBe(false);
    expect(verifyLinkToken(linkKeyFrom("another-app"), raw, "c", days(1))).toEqual({ ok: false, reason: "forged" });
    expect(verifyLinkToken(key, raw, "u", days(1))).toEqual({ ok: false, reason: "wrong-kind" });
    expect(verifyLinkToken(key, "garbage", "c", days(1))).toEqual({ ok: false, reason: "malformed" });
  });

  it("expires: unsubscribe links after a year (at least the 30 days CAN-SPAM asks), clicks after 180 days", () => {
    const unsubscribe = createLinkToken(key, { ...click, kind: "u", link: undefined }, sentAt);
    expect(verifyLinkToken(key, unsubscribe, "u", days(364)).ok).toBe(true);
    expect(verifyLinkToken(key, unsubscribe, "u", days(366))).toEqual({ ok: false, reason: "expired" });
    expect(verifyLinkToken(key, createLinkToken(key, click, sentAt), "c", days(181))).toEqual({ ok: false, reason: "expired" });
  });

  it("hashes addresses for the suppression list regardless of case and spaces", () => {
    expect(emailHash(key, " Ana@Example.com ")).toEqual(emailHash(key, "ana@example.com"));
    expect(emailHash(key, "ana@example.com")).not.toEqual(emailHash(linkKeyFrom("another-app"), "ana@example.com"));
  });
});

describe("the re-check before a send", () => {
  const ready: SendFacts = {
    test: false,
    shopInstalled: true,
    missingAddressParts: [],
    fromAddress: "win-back@mail.example",
    customer: { email: "ana@example.com", consent: "SUBSCRIBED", suppressed: false },
    addressSuppressed: false,
    sequenceOpen: true,
  };

  it.each<[string, Partial<SendFacts>, RegExp]>([
    ["an uninstalled shop", { shopInstalled: false }, /not installed/],
    ["no sender address", { fromAddress: null }, /no sender address/],
    ["no postal address", { missingAddressParts: ["address1", "city"] }, /postal address lacks address1, city/],
    ["a deleted customer", { customer: null }, /no longer exists/],
    ["no e-mail address", { customer: { email: null, consent: "SUBSCRIBED", suppressed: false } }, /no e-mail address/],
    [
      "an unsubscribed customer",
      { customer: { email: "ana@example.com", consent: "UNSUBSCRIBED", suppressed: false } },
      /not subscribed.*UNSUBSCRIBED/,
    ],
    ["a suppressed customer", { customer: { email: "ana@example.com", consent: "SUBSCRIBED", suppressed: true } }, /suppressed/],
    ["a customer who left the sequence, or a paused campaign", { sequenceOpen: false }, /left the sequence.*not Live/],
    ["a suppressed address", { addressSuppressed: true }, /suppressed/],
  ])("blocks a send to %s", (_label, change, reason) => {
    expect(sendBlocker(ready)).toBeNull();
    expect(sendBlocker({ ...ready, ...change })).toMatch(reason);
  });

  it("lets a test send reach the merchant whatever the customer's consent, but not without an address to print", () => {
    expect(sendBlocker({ ...ready, test: true, customer: { email: null, consent: "UNSUBSCRIBED", suppressed: true } })).toBeNull();
    expect(sendBlocker({ ...ready, test: true, missingAddressParts: ["country"] })).toMatch(/postal address/);
  });
});
