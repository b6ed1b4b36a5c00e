import { z } from "zod";
import { bodyToText, sanitizeBody } from "./sanitize";
import type { EmailShop } from "./shop";
import { renderField, type CompiledContent, type TemplateProduct, type TemplateVariables } from "./template";

/**
 * One e-mail for one customer, as a pure function of (compiled step content, shop, customer,
 * offer, products): subject, preheader, the HTML (one table-based, responsive layout) and its
 * plain-text alternative. Links to the shop are replaced by click-tracking links; the caller
 * records `links` (index = the number in the tracking token) before sending.
 */

export interface EmailCustomer {
  firstName: string | null;
  lastName: string | null;
  locale: string | null;
  lastOrderAt: Date | null;
}

export const emailOfferSchema = z.object({
  code: z.string().min(1),
  kind: z.enum(["percentage", "fixed_amount", "free_shipping"]),
  /** Percent (15 = 15%) or an amount in the shop's currency; ignored for free shipping. */
  value: z.number().nonnegative(),
  endsAt: z.iso.datetime({ offset: true }),
  minimumSubtotal: z.number().positive().nullish(),
});
export type EmailOffer = z.infer<typeof emailOfferSchema>;

export interface EmailProduct {
  title: string;
  handle: string;
  imageUrl: string | null;
  price: string;
}

/** A product as an e-mail shows it (what a recommendation or an order's line carries beyond that is dropped). */
export const toEmailProduct = (product: EmailProduct): EmailProduct => ({
  title: product.title,
  handle: product.handle,
  imageUrl: product.imageUrl,
  price: product.price,
});

export interface EmailLinks {
  unsubscribeUrl: string;
  openPixelUrl: string;
  /** The tracking URL of recorded link number `index`. */
  track: (index: number) => string;
}

export interface RenderInput {
  compiled: CompiledContent;
  shop: EmailShop;
  customer: EmailCustomer;
  offer: EmailOffer | null;
  products: EmailProduct[];
  lastOrderProducts: EmailProduct[];
  links: EmailLinks;
  now: Date;
}

export interface RenderedEmail {
  subject: string;
  preheader: string;
  html: string;
  text: string;
  /** Destinations of the tracking links, by index. */
  links: string[];
}

const DAY_MS = 86_400_000;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function usableLocale(locale: string | null): string {
  if (!locale) return "en";
  try {
    return Intl.getCanonicalLocales(locale)[0] ?? "en";
  } catch {
    return "en";
  }
}

// Building an Intl formatter costs far more than using one; a send renders several. Keys are
// locale × currency or time zone, a small set; the bound only guards against odd input.
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function cachedFormatter<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, create: () => T): T {
  let formatter = formatters.get(key) as T | undefined;
  if (!formatter) {
    if (formatters.size >= 1000) formatters.clear();
    formatter = create();
    formatters.set(key, formatter);
  }
  return formatter;
}

export function formatMoney(amount: number | string, currency: string, locale: string): string {
  return cachedFormatter(`money:${locale}:${currency}`, () => new Intl.NumberFormat(locale, { style: "currency", currency })).format(
    Number(amount),
  );
}

export function formatOfferValue(offer: EmailOffer, currency: string, locale: string): string {
  if (offer.kind === "percentage") {
    return `${cachedFormatter(`percent:${locale}`, () => new Intl.NumberFormat(locale, { maximumFractionDigits: 2 })).format(offer.value)}%`;
  }
  if (offer.kind === "fixed_amount") return formatMoney(offer.value, currency, locale);
  return "free shipping";
}

export function formatOfferEnd(offer: EmailOffer, timezone: string, locale: string): string {
  const formatter = cachedFormatter(
    `end:${locale}:${timezone}`,
    () => new Intl.DateTimeFormat(locale, { dateStyle: "long", timeStyle: "short", timeZone: timezone }),
  );
  return formatter.format(new Date(offer.endsAt));
}

/** Collects the destinations of tracked links (the same URL keeps one index). */
class LinkRecorder {
  readonly destinations: string[] = [];
  private readonly indexes = new Map<string, number>();
  constructor(private readonly links: EmailLinks) {}

  track = (url: string): string => {
    if (!/^https?:\/\//i.test(url) || url === this.links.unsubscribeUrl) return url;
    let index = this.indexes.get(url);
    if (index === undefined) {
      index = this.destinations.push(url) - 1;
      this.indexes.set(url, index);
    }
    return this.links.track(index);
  };
}

export function renderEmail(input: RenderInput): RenderedEmail {
  const { compiled, shop, customer, offer, now } = input;
  const content = compiled.content;
  const locale = usableLocale(customer.locale);
  const recorder = new LinkRecorder(input.links);
  const productUrl = (product: EmailProduct) => `${shop.url}/products/${encodeURIComponent(product.handle)}`;
  const templateProduct = (product: EmailProduct): TemplateProduct => ({
    title: product.title,
    url: productUrl(product),
    image: product.imageUrl ?? "",
    price: formatMoney(product.price, shop.currencyCode, locale),
  });
  const products = content.showProducts ? input.products.slice(0, content.productCount) : [];
  const offerValue = offer ? formatOfferValue(offer, shop.currencyCode, locale) : "";
  const offerEnd = offer ? formatOfferEnd(offer, shop.timezone, locale) : "";

  const variables: TemplateVariables = {
    customer: { first_name: customer.firstName ?? "", last_name: customer.lastName ?? "" },
    shop: { name: shop.name, url: shop.url },
    discount: { code: offer?.code ?? "", value: offerValue, ends_at: offerEnd },
    products: products.map(templateProduct),
    unsubscribe_url: input.links.unsubscribeUrl,
    days_since_last_order: customer.lastOrderAt ? Math.floor((now.getTime() - customer.lastOrderAt.getTime()) / DAY_MS) : "",
    last_order: { products: input.lastOrderProducts.map(templateProduct) },
  };
  const subject = renderField(compiled, "subject", variables).replace(/\s+/g, " ").trim();
  const preheader = renderField(compiled, "preheader", variables).replace(/\s+/g, " ").trim();
  const heading = renderField(compiled, "heading", variables).trim();
  const buttonText = renderField(compiled, "buttonText", variables).trim();
  const bodyHtml = sanitizeBody(renderField(compiled, "body", variables), recorder.track);

  // The offer link applies the code at checkout through Shopify's /discount/<code> URL.
  const shopNowUrl = recorder.track(
    offer && content.showOffer ? `${shop.url}/discount/${encodeURIComponent(offer.code)}?redirect=%2F` : shop.url,
  );
  const shopUrl = recorder.track(shop.url);
  const cards = products.map((product) => ({
    product,
    url: recorder.track(productUrl(product)),
    price: formatMoney(product.price, shop.currencyCode, locale),
  }));
  const showOffer = Boolean(offer && content.showOffer);

  const offerLine = offer
    ? `${offerValue === "free shipping" ? "Free shipping" : `${offerValue} off`}${offer.minimumSubtotal ? ` on orders over ${formatMoney(offer.minimumSubtotal, shop.currencyCode, locale)}` : ""}, valid until ${offerEnd}.`
    : "";

  const html = layoutHtml({
    lang: locale,
    shop,
    shopUrl,
    subject,
    preheader,
    heading,
    bodyHtml,
    offer: showOffer ? { code: offer!.code, line: offerLine } : null,
    button: { text: buttonText, url: shopNowUrl },
    cards,
    unsubscribeUrl: input.links.unsubscribeUrl,
    openPixelUrl: input.links.openPixelUrl,
  });

  const text = [
    heading,
    bodyToText(bodyHtml),
    showOffer ? `Your code: ${offer!.code}\n${offerLine}` : "",
    `${buttonText}: ${shopNowUrl}`,
    cards.length ? `Picked for you:\n${cards.map((card) => `- ${card.product.title}, ${card.price}: ${card.url}`).join("\n")}` : "",
    `--\n${shop.name}, ${shop.postalAddress}\nYou receive this e-mail because you subscribed to news from ${shop.name}.\nUnsubscribe: ${input.links.unsubscribeUrl}`,
  ]
    .filter(Boolean)
    .join("\n\n");

  return { subject, preheader, html, text, links: recorder.destinations };
}

interface Layout {
  lang: string;
  shop: EmailShop;
  shopUrl: string;
  subject: string;
  preheader: string;
  heading: string;
  bodyHtml: string;
  offer: { code: string; line: string } | null;
  button: { text: string; url: string };
  cards: { product: EmailProduct; url: string; price: string }[];
  unsubscribeUrl: string;
  openPixelUrl: string;
}

const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

/** Readable text on the accent colour: black or white, whichever contrasts more. */
function textOn(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const channel = parseInt(hex.slice(i, i + 2), 16) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  return luminance > 0.179 ? "#111111" : "#ffffff";
}

function productGrid(cards: Layout["cards"]): string {
  const cell = (card: Layout["cards"][number]) => `
            <td class="product" width="50%" valign="top" style="padding:8px;">
              <a href="${escapeHtml(card.url)}" style="text-decoration:none;color:#111111;">
                ${card.product.imageUrl ? `<img src="${escapeHtml(card.product.imageUrl)}" width="252" alt="${escapeHtml(card.product.title)}" style="display:block;width:100%;max-width:252px;height:auto;border:0;border-radius:6px;">` : ""}
                <p style="margin:8px 0 2px;font:600 15px/1.4 ${FONT};">${escapeHtml(card.product.title)}</p>
                <p style="margin:0;font:15px/1.4 ${FONT};color:#444444;">${escapeHtml(card.price)}</p>
              </a>
            </td>`;
  const rows: string[] = [];
  for (let i = 0; i < cards.length; i += 2) {
    rows.push(`<tr>${cell(cards[i]!)}${cards[i + 1] ? cell(cards[i + 1]!) : '<td class="product" width="50%"></td>'}</tr>`);
  }
  return `
        <tr><td style="padding:8px 24px 0;"><h2 style="margin:0;font:600 18px/1.4 ${FONT};color:#111111;">Picked for you</h2></td></tr>
        <tr><td style="padding:8px 16px 16px;">
          <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">${rows.join("")}</table>
        </td></tr>`;
}

function layoutHtml(layout: Layout): string {
  const { shop } = layout;
  const accent = shop.accentColor;
  const onAccent = textOn(accent);
  const header = shop.logoUrl
    ? `<img src="${escapeHtml(shop.logoUrl)}" height="40" alt="${escapeHtml(shop.name)}" style="display:block;height:40px;width:auto;border:0;margin:0 auto;">`
    : `<span style="font:700 22px/1.3 ${FONT};color:#111111;">${escapeHtml(shop.name)}</span>`;
  const offer = layout.offer
    ? `
        <tr><td style="padding:8px 24px 16px;">
          <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border:2px dashed ${accent};border-radius:8px;">
            <tr><td align="center" style="padding:20px 16px;">
              <p style="margin:0 0 6px;font:14px/1.4 ${FONT};color:#444444;">Your personal code</p>
              <p style="margin:0 0 8px;font:700 26px/1.3 'Courier New',Courier,monospace;letter-spacing:2px;color:#111111;">${escapeHtml(layout.offer.code)}</p>
              <p style="margin:0;font:14px/1.5 ${FONT};color:#444444;">${escapeHtml(layout.offer.line)}</p>
            </td></tr>
          </table>
        </td></tr>`
    : "";
  return `<!DOCTYPE html>
<html lang="${escapeHtml(layout.lang)}" xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<meta name="color-scheme" content="light only">
<title>${escapeHtml(layout.subject)}</title>
<style>
  body { margin:0; padding:0; width:100% !important; -webkit-text-size-adjust:100%; }
  a { color:${accent}; }
  @media only screen and (max-width:620px) {
    .container { width:100% !important; }
    .product { display:block !important; width:100% !important; }
  }
</style>
</head>
<body style="margin:0;padding:0;background:#f4f4f5;">
<div style="display:none;max-height:0;overflow:hidden;mso-hide:all;">${escapeHtml(layout.preheader)}${"&#8199;&#65279;&#847; ".repeat(30)}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f4f4f5;">
  <tr><td align="center" style="padding:24px 8px;">
    <table role="presentation" class="container" width="600" cellpadding="0" cellspacing="0" border="0" style="width:600px;max-width:600px;background:#ffffff;border-radius:8px;">
      <tr><td align="center" style="padding:24px;"><a href="${escapeHtml(layout.shopUrl)}" style="text-decoration:none;">${header}</a></td></tr>
      ${layout.heading ? `<tr><td style="padding:0 24px 8px;"><h1 style="margin:0;font:700 24px/1.3 ${FONT};color:#111111;">${escapeHtml(layout.heading)}</h1></td></tr>` : ""}
      <tr><td style="padding:8px 24px;font:16px/1.6 ${FONT};color:#222222;">${layout.bodyHtml}</td></tr>
      ${offer}
      <tr><td align="center" style="padding:8px 24px 24px;">
        <a href="${escapeHtml(layout.button.url)}" style="display:inline-block;padding:14px 28px;background:${accent};color:${onAccent};border-radius:6px;font:600 16px/1.2 ${FONT};text-decoration:none;">${escapeHtml(layout.button.text)}</a>
      </td></tr>
      ${layout.cards.length ? productGrid(layout.cards) : ""}
    </table>
    <table role="presentation" class="container" width="600" cellpadding="0" cellspacing="0" border="0" style="width:600px;max-width:600px;">
      <tr><td align="center" style="padding:16px 24px;font:12px/1.6 ${FONT};color:#6b6b70;">
        <p style="margin:0 0 8px;">You receive this e-mail because you subscribed to news from ${escapeHtml(shop.name)}.</p>
        <p style="margin:0 0 8px;">${escapeHtml(shop.name)}, ${escapeHtml(shop.postalAddress)}</p>
        <p style="margin:0;"><a href="${escapeHtml(layout.unsubscribeUrl)}" style="color:#6b6b70;text-decoration:underline;">Unsubscribe</a></p>
      </td></tr>
    </table>
  </td></tr>
</table>
<img src="${escapeHtml(layout.openPixelUrl)}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0;">
</body>
</html>`;
}
