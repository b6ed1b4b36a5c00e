import type { DiscountCodeBasicInput, DiscountCodeFreeShippingInput } from "../types/admin.types";
import { randomBytes } from "node:crypto";
import prisma, { execute, queryRow, queryRows } from "../db.server";
import type { Offer } from "../domain/campaign";
import type { EmailOffer } from "../email/render";
import { RetryLater } from "../jobs/attempts";
import { ShopifyApiError, type AdminQuery } from "./shopify-admin.server";

/**
 * Personal discount codes. A code is stored (reserved) before Shopify is asked to create it, so a
 * retry after a crash or a timeout finds it and asks again with the same value instead of making a
 * second code: Shopify answers TAKEN, and the code is looked up and recorded as ours (80 random
 * bits: no one else has it). Each code is locked to its customer, usable once, and expires.
 */

// Crockford's base32: no I, L, O, U; readable aloud and typed without confusion.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** "WB-" and 16 characters carrying 80 bits from the operating system's CSPRNG. */
export function generateCode(): string {
  const bytes = randomBytes(10);
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let code = "";
  for (let i = 0; i < 16; i++) {
    code = ALPHABET[Number(bits & 31n)] + code;
    bits >>= 5n;
  }
  return `WB-${code}`;
}

export interface PersonalCode {
  code: string;
  offer: Offer;
  endsAt: Date;
}

/** The code an e-mail shows, in the e-mail's terms. */
export function emailOfferOf(personal: PersonalCode): EmailOffer {
  const { offer } = personal;
  return {
    code: personal.code,
    kind: offer.kind,
    value: offer.kind === "free_shipping" ? 0 : offer.value,
    endsAt: personal.endsAt.toISOString(),
    minimumSubtotal: offer.minimumSubtotal,
  };
}

const CREATE_BASIC = `#graphql
  mutation CreatePersonalCode($input: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $input) {
      codeDiscountNode { id }
      userErrors { field message code }
    }
  }`;

const CREATE_FREE_SHIPPING = `#graphql
  mutation CreatePersonalFreeShipping($input: DiscountCodeFreeShippingInput!) {
    discountCodeFreeShippingCreate(freeShippingCodeDiscount: $input) {
      codeDiscountNode { id }
      userErrors { field message code }
    }
  }`;

const FIND_BY_CODE = `#graphql
  query FindPersonalCode($code: String!) {
    codeDiscountNodeByCode(code: $code) { id }
  }`;

/** What both kinds of personal code share: one customer, one use, an expiry. */
function commonInput(personal: PersonalCode, customerId: bigint, startsAt: Date) {
  const { offer } = personal;
  return {
    title: `Win-back ${personal.code}`,
    code: personal.code,
    startsAt: startsAt.toISOString(),
    endsAt: personal.endsAt.toISOString(),
    usageLimit: 1,
    appliesOncePerCustomer: true,
    context: { customers: { add: [`gid://shopify/Customer/${customerId}`] } },
    minimumRequirement:
      offer.minimumSubtotal === null ? null : { subtotal: { greaterThanOrEqualToSubtotal: offer.minimumSubtotal.toFixed(2) } },
    combinesWith: offer.combinesWith,
  };
}

function basicInput(personal: PersonalCode, customerId: bigint, startsAt: Date): DiscountCodeBasicInput {
  const { offer } = personal;
  if (offer.kind === "free_shipping") throw new Error("a free-shipping offer is not a basic code discount");
  const value =
    offer.kind === "percentage"
      ? { percentage: offer.value / 100 }
      : { discountAmount: { amount: offer.value.toFixed(2), appliesOnEachItem: false } };
  return { ...commonInput(personal, customerId, startsAt), customerGets: { value, items: { all: true } } };
}

function freeShippingInput(personal: PersonalCode, customerId: bigint, startsAt: Date): DiscountCodeFreeShippingInput {
  return { ...commonInput(personal, customerId, startsAt), destination: { all: true } };
}

/**
 * How long a job that reserved a code may take to have Shopify create it before another may try:
 * longer than any Admin API call. Should it run out mid-call, the other asks for the same value,
 * and Shopify's TAKEN makes it ours: still one discount.
 */
export const CODE_CREATION_LEASE_MS = 2 * 60_000;
/** How long a job waits for another's code creation before it is delayed (RetryLater, no attempt spent). */
const WAIT_FOR_CREATION_MS = 3_000;
const POLL_MS = 100;

interface CodeRow {
  id: string;
  code: string;
  offer: Offer;
  endsAt: Date;
  status: string;
  createdAt: Date;
  /** Whether this call holds the creation lease (it reserved the code, or took over an expired lease). */
  mine: boolean;
}

const CODE_COLUMNS = "id, code, offer, ends_at, status, created_at";

/**
 * The enrollment's code for the step whose offer it carries: reserved here once, created in
 * Shopify once. Two jobs at the same moment: the INSERT … ON CONFLICT DO NOTHING lets one reserve
 * it, with the creation lease, before anyone calls Shopify; the other waits for its code (or, when
 * that takes long, is delayed with RetryLater, spending no attempt). Throws ShopifyApiError
 * (permanent) when Shopify refuses it for good.
 */
export async function ensurePersonalCode(
  shopId: number,
  enrollment: { id: bigint; customerId: bigint },
  step: number,
  offer: Offer,
  { admin, now = new Date(), waitMs = WAIT_FOR_CREATION_MS }: { admin: AdminQuery; now?: Date; waitMs?: number },
): Promise<PersonalCode> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const reserved = await reserveCode(shopId, enrollment.id, step, offer, now);
    const personal: PersonalCode = { code: reserved.code, offer: reserved.offer, endsAt: reserved.endsAt };
    if (reserved.status !== "reserved") return personal;
    if (reserved.mine) return createInShopify(shopId, enrollment.customerId, reserved, personal, admin);
    if (Date.now() >= deadline)
      throw new RetryLater(5_000, `another job is creating the code of enrollment ${enrollment.id}, step ${step}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** The code row of (enrollment, step): inserted with the lease, or the existing one with the lease taken if it was free. */
async function reserveCode(shopId: number, enrollmentId: bigint, step: number, offer: Offer, now: Date): Promise<CodeRow> {
  const lease = `now() + make_interval(secs => ${CODE_CREATION_LEASE_MS / 1000})`;
  const inserted = await queryRow<CodeRow>(
    `INSERT INTO discount_codes (shop_id, enrollment_id, step, code, offer, ends_at, creating_until, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, ${lease}, now())
     ON CONFLICT (shop_id, enrollment_id, step) DO NOTHING
     RETURNING ${CODE_COLUMNS}, true AS mine`,
    [shopId, String(enrollmentId), step, generateCode(), JSON.stringify(offer), new Date(now.getTime() + offer.expiresInDays * 86_400_000)],
  );
  if (inserted) return inserted;
  // Reserved before: by a job that died or gave up (its lease is over), or by one at work right now.
  const taken = await queryRow<CodeRow>(
    `UPDATE discount_codes SET creating_until = ${lease}, updated_at = now()
     WHERE shop_id = $1 AND enrollment_id = $2 AND step = $3 AND status = 'reserved' AND (creating_until IS NULL OR creating_until < now())
     RETURNING ${CODE_COLUMNS}, true AS mine`,
    [shopId, String(enrollmentId), step],
  );
  if (taken) return taken;
  const existing = await queryRow<CodeRow>(
    `SELECT ${CODE_COLUMNS}, false AS mine FROM discount_codes WHERE shop_id = $1 AND enrollment_id = $2 AND step = $3`,
    [shopId, String(enrollmentId), step],
  );
  // Gone between the statements (the enrollment was deleted with its shop): nothing to create it for.
  if (!existing) throw new Error(`the code of enrollment ${enrollmentId}, step ${step} disappeared`);
  return existing;
}

/** Shopify creates the reserved code (the same value on every try); the lease is given back if it does not. */
async function createInShopify(shopId: number, customerId: bigint, reserved: CodeRow, personal: PersonalCode, admin: AdminQuery) {
  try {
    const { domain } = await prisma.shop.findUniqueOrThrow({ where: { id: shopId }, select: { domain: true } });
    const result =
      personal.offer.kind === "free_shipping"
        ? (await admin(domain, CREATE_FREE_SHIPPING, { input: freeShippingInput(personal, customerId, reserved.createdAt) }))
            .discountCodeFreeShippingCreate
        : (await admin(domain, CREATE_BASIC, { input: basicInput(personal, customerId, reserved.createdAt) })).discountCodeBasicCreate;
    if (!result) throw new ShopifyApiError("Shopify returned no result for the discount code", false);
    let shopifyId = result.codeDiscountNode?.id ?? null;
    if (!shopifyId) {
      // TAKEN: an earlier attempt created it and did not live to record it.
      const taken = result.userErrors.some((error) => error.code === "TAKEN");
      if (taken) shopifyId = (await admin(domain, FIND_BY_CODE, { code: personal.code })).codeDiscountNodeByCode?.id ?? null;
      if (!shopifyId)
        throw new ShopifyApiError(`Shopify refused the discount code: ${result.userErrors.map((error) => error.message).join("; ")}`, true);
    }
    await execute(
      "UPDATE discount_codes SET status = 'created', shopify_id = $3, creating_until = NULL, updated_at = now() WHERE shop_id = $1 AND id = $2",
      [shopId, reserved.id, shopifyId],
    );
    return personal;
  } catch (error) {
    await execute(
      "UPDATE discount_codes SET creating_until = NULL, updated_at = now() WHERE shop_id = $1 AND id = $2 AND status = 'reserved'",
      [shopId, reserved.id],
    ).catch(() => {}); // else the lease runs out by itself
    throw error;
  }
}

const BULK_DELETE = `#graphql
  mutation DeleteEndedCodes($ids: [ID!]!) {
    discountCodeBulkDelete(ids: $ids) {
      job { id }
      userErrors { field message code }
    }
  }`;

/** Shopify's discountCodeBulkDelete takes at most this many ids. */
const DELETE_BATCH = 250;

/** Shops (ids) with created codes whose enrollment ended or whose validity passed. */
export async function shopsWithEndedCodes({ now = new Date() }: { now?: Date } = {}): Promise<number[]> {
  const rows = await queryRows<{ id: number }>(
    `SELECT DISTINCT s.id FROM discount_codes d
     JOIN enrollments e ON e.shop_id = d.shop_id AND e.id = d.enrollment_id
     JOIN shops s ON s.id = d.shop_id AND s.uninstalled_at IS NULL
     WHERE d.status = 'created' AND (e.status <> 'active' OR d.ends_at <= $1)`,
    [now],
  );
  return rows.map((row) => row.id);
}

/**
 * Deletes from Shopify, in batches, the shop's codes that nobody can use any more: their
 * enrollment ended (converted, exited, completed) or they expired. Returns how many.
 */
export async function deleteEndedCodes(shopId: number, { admin, now = new Date() }: { admin: AdminQuery; now?: Date }): Promise<number> {
  let deleted = 0;
  for (;;) {
    const batch = await queryRows<{ id: string; shopifyId: string; domain: string }>(
      `SELECT d.id, d.shopify_id, s.domain FROM discount_codes d
       JOIN enrollments e ON e.shop_id = d.shop_id AND e.id = d.enrollment_id
       JOIN shops s ON s.id = d.shop_id
       WHERE d.shop_id = $1 AND d.status = 'created' AND (e.status <> 'active' OR d.ends_at <= $2)
       ORDER BY d.id LIMIT $3`,
      [shopId, now, DELETE_BATCH],
    );
    if (batch.length === 0) return deleted;
    const data = await admin(batch[0]!.domain, BULK_DELETE, { ids: batch.map((row) => row.shopifyId) });
    const { job, userErrors } = data.discountCodeBulkDelete ?? { job: null, userErrors: [] };
    if (!job) throw new ShopifyApiError(`Shopify refused to delete codes: ${userErrors.map((error) => error.message).join("; ")}`, true);
    await prisma.discountCode.updateMany({
      where: { shopId, id: { in: batch.map((row) => BigInt(row.id)) } },
      data: { status: "deleted" },
    });
    deleted += batch.length;
  }
}
