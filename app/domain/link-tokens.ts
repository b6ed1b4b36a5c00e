import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";

/**
 * Signed tokens for the links in e-mails: unsubscribe (u), click (c, with the link's index) and
 * open (o). A token names the shop, the send and its customer, and expires; it is signed with
 * HMAC-SHA256 so it cannot be altered or made up. It carries ids only, never an address.
 * Format: base64url(JSON payload) "." base64url(signature).
 */

export type LinkKind = "u" | "c" | "o";

const payloadSchema = z.object({
  k: z.enum(["u", "c", "o"]),
  s: z.number().int().positive(),
  n: z.string().regex(/^\d+$/),
  c: z.string().regex(/^\d+$/),
  l: z.number().int().min(0).max(999).optional(),
  x: z.number().int().positive(),
});

export interface LinkToken {
  kind: LinkKind;
  shopId: number;
  sendId: bigint;
  customerId: bigint;
  /** Click tokens: the index of the recorded destination. */
  link?: number;
  expiresAt: Date;
}

/** How long each kind of link works after sending (CAN-SPAM: an opt-out works at least 30 days). */
export const LINK_LIFETIME_DAYS: Record<LinkKind, number> = { u: 365, c: 180, o: 90 };

const sign = (key: Buffer, data: string) => createHmac("sha256", key).update(data).digest("base64url");

export function createLinkToken(key: Buffer, token: Omit<LinkToken, "expiresAt">, sentAt: Date): string {
  const payload = {
    k: token.kind,
    s: token.shopId,
    n: String(token.sendId),
    c: String(token.customerId),
    ...(token.link === undefined ? {} : { l: token.link }),
    x: Math.floor(sentAt.getTime() / 1000) + LINK_LIFETIME_DAYS[token.kind] * 86_400,
  };
  const data = Buffer.from(JSON.stringify(payload)).toString("base64url");
  return `${data}.${sign(key, data)}`;
}

export type TokenCheck = { ok: true; token: LinkToken } | { ok: false; reason: "malformed" | "forged" | "expired" | "wrong-kind" };

export function verifyLinkToken(key: Buffer, raw: string, kind: LinkKind, now: Date): TokenCheck {
  const [data, signature, extra] = raw.split(".");
  if (!data || !signature || extra !== undefined || raw.length > 400) return { ok: false, reason: "malformed" };
  const expected = Buffer.from(sign(key, data));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "forged" };
  let payload: z.infer<typeof payloadSchema>;
  try {
    payload = payloadSchema.parse(JSON.parse(Buffer.from(data, "base64url").toString("utf8")));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (payload.k !== kind) return { ok: false, reason: "wrong-kind" };
  if (payload.x * 1000 <= now.getTime()) return { ok: false, reason: "expired" };
  return {
    ok: true,
    token: {
      kind: payload.k,
      shopId: payload.s,
      sendId: BigInt(payload.n),
      customerId: BigInt(payload.c),
      link: payload.l,
      expiresAt: new Date(payload.x * 1000),
    },
  };
}

/** The signing key for e-mail links, derived from the app's secret (never the secret itself). */
export function linkKeyFrom(appSecret: string): Buffer {
  return createHmac("sha256", appSecret).update("win-back e-mail links v1").digest();
}

/** A keyed hash of an e-mail address for the suppression list (the address is not stored). */
export function emailHash(key: Buffer, email: string): Buffer {
  return createHmac("sha256", key).update(`suppression:${email.trim().toLowerCase()}`).digest();
}
