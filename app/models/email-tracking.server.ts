import { execute, inTransaction, queryRow } from "../db.server";
import { exitEnrollments } from "./conversions.server";
import { createLinkToken, linkKeyFrom, verifyLinkToken, type LinkKind, type LinkToken } from "../domain/link-tokens";
import type { EmailLinks } from "../email/render";
import { env } from "../env.server";
import { logger } from "../logger.server";
import { enqueue } from "../jobs/client.server";
import { requestConsentUpdate, suppressAddress } from "./suppressions.server";
import { UTM_MEDIUM, UTM_SOURCE } from "./marketing.server";

/**
 * The links in an e-mail: unsubscribe (u), click (c) and open (o), signed when the e-mail is
 * rendered, and what they do. A link acts only with a valid, unexpired token whose send belongs
 * to the shop and customer it names; anything else changes nothing.
 */

const linkKey = linkKeyFrom(env.SHOPIFY_API_SECRET);

function linkUrl(
  kind: LinkKind,
  path: string,
  token: { shopId: number; sendId: bigint; customerId: bigint; link?: number },
  at: Date,
): string {
  return `${env.SHOPIFY_APP_URL.replace(/\/$/, "")}/${path}/${createLinkToken(linkKey, { kind, ...token }, at)}`;
}

/** The signed links of one send: unsubscribe (also its List-Unsubscribe header), open pixel, and each tracked link by index. */
export function sendLinks(shopId: number, send: { sendId: bigint; customerId: bigint }, deps: { now: Date }): EmailLinks {
  const token = { shopId, sendId: send.sendId, customerId: send.customerId };
  return {
    unsubscribeUrl: linkUrl("u", "u", token, deps.now),
    openPixelUrl: linkUrl("o", "t/o", token, deps.now),
    track: (link) => linkUrl("c", "t/c", { ...token, link }, deps.now),
  };
}

export type LinkFailure = { ok: false; status: 400 | 404 | 410 };

interface SendLink {
  token: LinkToken;
  shopName: string;
  campaign: string;
  step: number;
  test: boolean;
  links: string[];
  email: string | null;
}

async function resolve(raw: string, kind: LinkKind, now: Date): Promise<{ ok: true; send: SendLink } | LinkFailure> {
  const check = verifyLinkToken(linkKey, raw, kind, now);
  if (!check.ok) return { ok: false, status: check.reason === "expired" ? 410 : 400 };
  const { token } = check;
  const row = await queryRow<{
    shopName: string;
    campaign: string;
    step: number;
    test: boolean;
    links: string[] | null;
    email: string | null;
  }>(
    `SELECT coalesce(sh.name, sh.domain) AS shop_name, s.campaign, s.step, s.test_recipient IS NOT NULL AS test, s.links, c.email
     FROM email_sends s
     JOIN shops sh ON sh.id = s.shop_id
     LEFT JOIN customers c ON c.shop_id = s.shop_id AND c.id = s.customer_id
     WHERE s.shop_id = $1 AND s.id = $2 AND s.customer_id = $3`,
    [token.shopId, String(token.sendId), String(token.customerId)],
  );
  if (!row) return { ok: false, status: 404 };
  return { ok: true, send: { token, ...row, links: row.links ?? [] } };
}

/** For the confirmation page (GET): who the link is for. Changes nothing. */
export async function unsubscribeLink(
  raw: string,
  { now = new Date() }: { now?: Date } = {},
): Promise<{ ok: true; shopName: string } | LinkFailure> {
  const resolved = await resolve(raw, "u", now);
  return resolved.ok ? { ok: true, shopName: resolved.send.shopName } : resolved;
}

/**
 * One-click unsubscribe (RFC 8058 POST, or the button on the page): the address is suppressed at
 * once, and the change is queued for Shopify in the same transaction. Repeating it is harmless.
 * A test send's link changes nothing (it went to the merchant, not to the customer).
 */
export async function unsubscribe(
  raw: string,
  { now = new Date() }: { now?: Date } = {},
): Promise<{ ok: true; shopName: string; test: boolean } | LinkFailure> {
  const resolved = await resolve(raw, "u", now);
  if (!resolved.ok) return resolved;
  const { send } = resolved;
  if (send.test) return { ok: true, shopName: send.shopName, test: true };
  const { shopId, sendId, customerId } = send.token;
  await inTransaction(async (client) => {
    await execute(
      "UPDATE email_sends SET unsubscribed_at = coalesce(unsubscribed_at, now()) WHERE shop_id = $1 AND id = $2",
      [shopId, String(sendId)],
      client,
    );
    if (send.email) await suppressAddress(shopId, send.email, "unsubscribed", customerId, { db: client });
    await requestConsentUpdate(shopId, customerId, { db: client });
    await exitEnrollments(shopId, [customerId], "unsubscribed", { includeHoldout: false }, { db: client, now });
  });
  // After the commit: if Redis is down, the maintenance sweep queues it from consent_updates.
  await enqueue("syncUnsubscribe", { shopId, customerId: String(customerId) }).catch((error: Error) =>
    logger.warn({ shopId, err: error.message }, "could not queue the consent update; the sweep will"),
  );
  return { ok: true, shopName: send.shopName, test: false };
}

/** The destination of a tracked link, with our UTM tags, after recording the click. */
export async function click(raw: string, { now = new Date() }: { now?: Date } = {}): Promise<{ ok: true; url: string } | LinkFailure> {
  const resolved = await resolve(raw, "c", now);
  if (!resolved.ok) return resolved;
  const { send } = resolved;
  const destination = send.token.link === undefined ? undefined : send.links[send.token.link];
  if (!destination) return { ok: false, status: 404 };
  // The enrollment's last click starts its attribution window.
  await execute(
    `WITH clicked AS (
       UPDATE email_sends SET clicks = clicks + 1, first_clicked_at = coalesce(first_clicked_at, $3), last_clicked_at = $3
       WHERE shop_id = $1 AND id = $2 RETURNING enrollment_id
     )
     UPDATE enrollments e SET last_clicked_at = $3, updated_at = now() FROM clicked WHERE e.shop_id = $1 AND e.id = clicked.enrollment_id`,
    [send.token.shopId, String(send.token.sendId), now],
  );
  return { ok: true, url: withUtm(destination, send.campaign, send.step) };
}

/** The first open (approximate: mail privacy features load images without a reader). */
export async function open(raw: string, { now = new Date() }: { now?: Date } = {}): Promise<{ ok: true } | LinkFailure> {
  const resolved = await resolve(raw, "o", now);
  if (!resolved.ok) return resolved;
  await execute("UPDATE email_sends SET opened_at = now() WHERE shop_id = $1 AND id = $2 AND opened_at IS NULL", [
    resolved.send.token.shopId,
    String(resolved.send.token.sendId),
  ]);
  return { ok: true };
}

export function withUtm(destination: string, campaign: string, step: number): string {
  if (!URL.canParse(destination)) return destination;
  const url = new URL(destination);
  url.searchParams.set("utm_source", UTM_SOURCE);
  url.searchParams.set("utm_medium", UTM_MEDIUM);
  url.searchParams.set("utm_campaign", campaign);
  url.searchParams.set("utm_content", `step-${step}`);
  return url.toString();
}
