import { UnrecoverableError } from "bullmq";
import { adminShopSchema, shopDetailsFromAdmin } from "../domain/shop-details";
import { findInstalledShop, saveShopDetails } from "../models/shop.server";
import { adminQuery, type AdminQuery } from "../models/shopify-admin.server";
import type { Attempt } from "./attempts";
import type { SyncShopDetailsPayload } from "./sync-shop-details";

export const SHOP_DETAILS_QUERY = `#graphql
  query ShopDetails {
    shop {
      name
      contactEmail
      ianaTimezone
      currencyCode
      primaryDomain { url }
      shopAddress {
        company
        address1
        address2
        city
        province
        provinceCode
        zip
        country
        countryCodeV2
      }
    }
  }`;

export async function run(
  { shopId }: SyncShopDetailsPayload,
  _attempt?: Attempt,
  deps: { admin: AdminQuery } = { admin: adminQuery },
): Promise<"synced" | "not-installed"> {
  const shop = await findInstalledShop(shopId);
  if (!shop) return "not-installed";
  const data = await deps.admin(shop.domain, SHOP_DETAILS_QUERY);
  const parsed = adminShopSchema.safeParse(data.shop);
  if (!parsed.success) throw new UnrecoverableError(`ShopDetails answer has an unexpected shape: ${parsed.error.message}`);
  await saveShopDetails(shopId, shopDetailsFromAdmin(parsed.data));
  return "synced";
}
