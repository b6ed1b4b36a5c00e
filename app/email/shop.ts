import { formatPostalAddress, missingAddressParts, postalAddressSchema } from "../domain/shop-details";
import { emailSettingsOf } from "./settings";

/**
 * How a shop appears in its e-mails: the name, storefront, currency, time zone, postal address,
 * logo and accent colour of the layout, and who the e-mail is from and replies go to. Pure: the
 * shop's row is read by `readEmailShop` (app/models/email-shop.server.ts).
 */

export interface EmailShop {
  name: string;
  /** The storefront, e.g. https://shop.example.com (no trailing slash). */
  url: string;
  currencyCode: string;
  /** IANA zone for dates, e.g. Europe/Madrid. */
  timezone: string;
  /** The postal address on one line (CAN-SPAM). */
  postalAddress: string;
  logoUrl: string | null;
  /** #rrggbb */
  accentColor: string;
}

/** The columns of `shops` an e-mail is made from. */
export interface ShopForEmail {
  domain: string;
  name: string | null;
  primaryDomainUrl: string | null;
  currencyCode: string | null;
  ianaTimezone: string | null;
  postalAddress: unknown;
  settings: unknown;
  contactEmail: string | null;
}

/** The shop as its e-mails show it (an incomplete postal address prints as far as it goes; sends are blocked before that). */
export function emailShopOf(shop: ShopForEmail): EmailShop {
  const settings = emailSettingsOf(shop.settings);
  const address = postalAddressSchema.nullable().safeParse(shop.postalAddress ?? null);
  return {
    name: shop.name ?? shop.domain,
    url: (shop.primaryDomainUrl ?? `https://${shop.domain}`).replace(/\/$/, ""),
    currencyCode: shop.currencyCode ?? "USD",
    timezone: shop.ianaTimezone ?? "UTC",
    postalAddress: address.success && address.data ? formatPostalAddress(address.data) : "",
    logoUrl: settings.logoUrl ?? null,
    accentColor: settings.accentColor,
  };
}

/** The parts of the postal address the footer still lacks (a send is blocked until there are none). */
export function missingAddressPartsOf(shop: Pick<ShopForEmail, "postalAddress">): string[] {
  return missingAddressParts(postalAddressSchema.nullable().catch(null).parse(shop.postalAddress));
}

export interface EmailSender {
  from: { name: string; address: string };
  replyTo: string | undefined;
}

/** From: the sender name the merchant chose, or the shop's, at our address; Reply-To: theirs, or the shop's contact e-mail. */
export function senderOf(shop: ShopForEmail, fromAddress: string): EmailSender {
  const settings = emailSettingsOf(shop.settings);
  return {
    from: { name: settings.senderName ?? emailShopOf(shop).name, address: fromAddress },
    replyTo: settings.replyTo ?? shop.contactEmail ?? undefined,
  };
}
