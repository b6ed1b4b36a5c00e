import { queryRow, queryRows } from "../db.server";
import { displayName } from "../domain/customer-name";
import type { Offer } from "../domain/campaign";
import { escapeHtml, renderEmail, toEmailProduct, type EmailOffer } from "../email/render";
import { emailShopOf } from "../email/shop";
import { checkTemplate, compileContent, stepContentSchema, type StepContent } from "../email/template";
import type { MailTransport } from "../email/transport.server";
import { generateCode } from "./discount-codes.server";
import { deliverSend } from "./email-delivery.server";
import { readEmailShop, type EmailShopRow } from "./email-shop.server";
import { matchesSearch, searchPattern } from "./customer-search.server";
import { saveEmailTemplate } from "./email-templates.server";
import { lastOrderProducts, recommendProducts } from "./recommendations.server";
import { createSend } from "./send-ledger.server";

/**
 * The editor's preview and "send test to me": a step's content, as the merchant has it in the
 * editor (saved or not), rendered for a real customer of the shop with their products. The code
 * is an example in the real format: each customer's own is created when their e-mail goes out.
 */

export interface PreviewInput {
  content: unknown;
  /** The offer the step's e-mail carries (its own or an earlier step's), or null. */
  offer: Offer | null;
  /** A customer of the shop; null: the customer who ordered longest ago. */
  customerId: bigint | null;
}

export interface PreviewCustomer {
  id: string;
  name: string;
  email: string | null;
}

export type PreviewResult =
  | { ok: true; subject: string; preheader: string; html: string; customer: PreviewCustomer; code: string | null }
  | { ok: false; fieldErrors: Record<string, string> }
  | { ok: false; reason: string };

interface CustomerRow {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  locale: string | null;
  lastOrderAt: Date | null;
}

const nameOf = (row: Pick<CustomerRow, "firstName" | "lastName">) => displayName(row.firstName, row.lastName);

async function loadPreviewFacts(
  shopId: number,
  customerId: bigint | null,
): Promise<{ shop: EmailShopRow | undefined; customer: CustomerRow | undefined }> {
  const [shop, customer] = await Promise.all([
    readEmailShop(shopId),
    customerId === null
      ? queryRow<CustomerRow>(
          `SELECT id, email, first_name, last_name, locale, last_order_at FROM customers
           WHERE shop_id = $1 AND last_order_at IS NOT NULL ORDER BY last_order_at, id LIMIT 1`,
          [shopId],
        )
      : queryRow<CustomerRow>(
          "SELECT id, email, first_name, last_name, locale, last_order_at FROM customers WHERE shop_id = $1 AND id = $2",
          [shopId, String(customerId)],
        ),
  ]);
  return { shop, customer };
}

function exampleOffer(offer: Offer, now: Date): EmailOffer {
  return {
    code: generateCode(),
    kind: offer.kind,
    value: offer.kind === "free_shipping" ? 0 : offer.value,
    endsAt: new Date(now.getTime() + offer.expiresInDays * 86_400_000).toISOString(),
    minimumSubtotal: offer.minimumSubtotal,
  };
}

function contentErrors(input: unknown): { ok: true; content: StepContent } | { ok: false; fieldErrors: Record<string, string> } {
  const parsed = stepContentSchema.safeParse(input);
  if (!parsed.success)
    return { ok: false, fieldErrors: Object.fromEntries(parsed.error.issues.map((issue) => [issue.path.join("."), issue.message])) };
  const problems = checkTemplate(parsed.data);
  if (problems.length > 0)
    return { ok: false, fieldErrors: Object.fromEntries(problems.map((problem) => [problem.field, problem.message])) };
  return { ok: true, content: parsed.data };
}

/** The e-mail as `customerId` would get it; links point where they will lead, without tracking. */
export async function previewEmail(shopId: number, input: PreviewInput, deps: { now?: Date } = {}): Promise<PreviewResult> {
  const now = deps.now ?? new Date();
  const checked = contentErrors(input.content);
  if (!checked.ok) return checked;
  const { shop, customer } = await loadPreviewFacts(shopId, input.customerId);
  if (!shop) return { ok: false, reason: "The shop is not installed" };
  if (!customer)
    return { ok: false, reason: input.customerId === null ? "No customer has ordered yet; the preview needs one" : "No such customer" };

  const compiled = compileContent(checked.content);
  const customerId = BigInt(customer.id);
  const [products, lastOrder] = await Promise.all([
    checked.content.showProducts ? recommendProducts(shopId, customerId, checked.content.productCount) : [],
    compiled.usesLastOrder ? lastOrderProducts(shopId, customerId) : [],
  ]);
  const offer = input.offer ? exampleOffer(input.offer, now) : null;
  // Links are rendered with numbered placeholders, then pointed at their real destinations: the
  // preview tracks nothing and records nothing.
  const placeholder = (index: number) => `https://preview.invalid/link/${index}`;
  const rendered = renderEmail({
    compiled,
    shop: emailShopOf(shop),
    customer: { firstName: customer.firstName, lastName: customer.lastName, locale: customer.locale, lastOrderAt: customer.lastOrderAt },
    offer,
    products: products.map(toEmailProduct),
    lastOrderProducts: lastOrder.map(toEmailProduct),
    links: { unsubscribeUrl: "#unsubscribe", openPixelUrl: "data:image/gif;base64,R0lGODlhAQABAAAAACw=", track: placeholder },
    now,
  });
  const html = rendered.html.replace(/https:\/\/preview\.invalid\/link\/(\d+)/g, (_, index: string) =>
    escapeHtml(rendered.links[Number(index)] ?? "#"),
  );
  return {
    ok: true,
    subject: rendered.subject,
    preheader: rendered.preheader,
    html,
    customer: { id: customer.id, name: nameOf(customer), email: customer.email },
    code: offer?.code ?? null,
  };
}

export type TestSendResult = { ok: true; to: string } | { ok: false; reason: string } | { ok: false; fieldErrors: Record<string, string> };

/**
 * Sends the step's e-mail for a real customer to the merchant, through the send ledger (marked
 * as a test: the customer's consent does not apply, the shop's address and sender do).
 */
export async function sendTestEmail(
  shopId: number,
  input: PreviewInput & { campaign: string; step: number },
  deps: { transport: MailTransport; now?: Date },
): Promise<TestSendResult> {
  const now = deps.now ?? new Date();
  const recipient = (await readEmailShop(shopId))?.contactEmail;
  if (!recipient) return { ok: false, reason: "The store has no contact e-mail in Shopify to send the test to" };
  const { customer } = await loadPreviewFacts(shopId, input.customerId);
  if (!customer) return { ok: false, reason: "Choose a customer to send the test with" };
  const checked = contentErrors(input.content);
  if (!checked.ok) return checked;
  const template = await saveEmailTemplate(shopId, checked.content);
  if (!template.ok) throw new Error("content passed the check but not the template's");
  const sendId = await createSend(shopId, {
    customerId: BigInt(customer.id),
    templateId: template.id,
    campaign: input.campaign,
    step: input.step,
    offer: input.offer ? exampleOffer(input.offer, now) : null,
    testRecipient: recipient,
  });
  const outcome = await deliverSend(shopId, sendId, { transport: deps.transport, now });
  if (outcome.status === "sent") return { ok: true, to: recipient };
  return {
    ok: false,
    reason: "reason" in outcome ? `Not sent: ${outcome.reason}` : "The mail server connection broke; check your inbox before trying again",
  };
}

/** Customers of the shop for the preview's picker: by name or e-mail, those who ordered first. */
export async function searchCustomers(shopId: number, query: string, limit = 10): Promise<PreviewCustomer[]> {
  const rows = await queryRows<CustomerRow>(
    `SELECT c.id, c.email, c.first_name, c.last_name, c.locale, c.last_order_at FROM customers c
     WHERE c.shop_id = $1 AND c.last_order_at IS NOT NULL AND ${matchesSearch("$2", "$3")}
     ORDER BY c.last_order_at, c.id LIMIT $4`,
    [shopId, query.trim(), searchPattern(query), limit],
  );
  return rows.map((row) => ({ id: row.id, name: nameOf(row), email: row.email }));
}
