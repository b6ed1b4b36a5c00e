import { z } from "zod";

/**
 * The shop facts the app needs from Shopify: how to address the merchant's customers (name,
 * currency, timezone) and the postal address every marketing e-mail must carry (CAN-SPAM).
 */

export const postalAddressSchema = z.object({
  company: z.string().nullish(),
  address1: z.string().nullish(),
  address2: z.string().nullish(),
  city: z.string().nullish(),
  province: z.string().nullish(),
  provinceCode: z.string().nullish(),
  zip: z.string().nullish(),
  country: z.string().nullish(),
  countryCodeV2: z.string().nullish(),
});
export type PostalAddress = z.infer<typeof postalAddressSchema>;

/** The Admin API `shop` fields we read (query: app/jobs/sync-shop-details.handler.ts). */
export const adminShopSchema = z.object({
  name: z.string(),
  contactEmail: z.string().nullish(),
  ianaTimezone: z.string().nullish(),
  currencyCode: z.string().nullish(),
  shopAddress: postalAddressSchema.nullish(),
  primaryDomain: z.object({ url: z.string() }).nullish(),
});
export type AdminShop = z.infer<typeof adminShopSchema>;

export interface ShopDetails {
  name: string;
  contactEmail: string | null;
  ianaTimezone: string | null;
  currencyCode: string | null;
  postalAddress: PostalAddress | null;
  /** The storefront's primary domain, e.g. https://shop.example.com. */
  primaryDomainUrl: string | null;
}

export function shopDetailsFromAdmin(shop: AdminShop): ShopDetails {
  return {
    name: shop.name,
    contactEmail: shop.contactEmail || null,
    ianaTimezone: shop.ianaTimezone || null,
    currencyCode: shop.currencyCode || null,
    postalAddress: shop.shopAddress ?? null,
    primaryDomainUrl: shop.primaryDomain?.url?.startsWith("https://") ? shop.primaryDomain.url.replace(/\/$/, "") : null,
  };
}

const REQUIRED_ADDRESS_PARTS = ["address1", "city", "country"] as const;
/** How Shopify's address form names each part, for messages to the merchant. */
export const ADDRESS_PART_LABELS: Record<string, string> = { address1: "street", city: "city", country: "country" };

/** What is missing before the address can be printed in an e-mail footer (empty = complete). */
export function missingAddressParts(address: PostalAddress | null | undefined): string[] {
  return REQUIRED_ADDRESS_PARTS.filter((part) => !address?.[part]?.trim());
}

/** One line, e.g. "Acme Ltd, 1 Main St, Springfield 12345, United States". */
export function formatPostalAddress(address: PostalAddress): string {
  const locality = [address.city, address.provinceCode ?? address.province, address.zip].filter(Boolean).join(" ");
  return [address.company, address.address1, address.address2, locality, address.country]
    .map((part) => part?.trim())
    .filter(Boolean)
    .join(", ");
}
