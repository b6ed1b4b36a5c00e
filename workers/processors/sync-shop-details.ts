import { UnrecoverableError } from "bullmq";
import { adminShopSchema, shopDetailsFromAdmin } from "../../app/domain/shop-details";
import { findInstalledShop, saveShopDetails } from "../../app/models/shop.server";
import type { JobPayload } from "../queues";

export const SHOP_DETAILS_QUERY = `#graphql
  query ShopDetails {
    shop {
      name
      contactEmail
      ianaTimezone
      currencyCode
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

/** The slice of an Admin API client this processor needs (Shopify's `admin.graphql`). */
export type AdminGraphql = (query: string, options?: { variables?: Record<string, unknown> }) => Promise<Response>;

export interface SyncShopDetailsDeps {
  /** The Admin API client of an installed shop (its offline session). */
  adminGraphqlFor(shopDomain: string): Promise<AdminGraphql>;
}

export async function syncShopDetails(
  { shopId }: JobPayload<"syncShopDetails">,
  deps: SyncShopDetailsDeps,
): Promise<"synced" | "not-installed"> {
  const shop = await findInstalledShop(shopId);
  if (!shop) return "not-installed";

  const graphql = await deps.adminGraphqlFor(shop.domain);
  const response = await graphql(SHOP_DETAILS_QUERY);
  const body = (await response.json()) as { data?: { shop?: unknown }; errors?: unknown };
  if (body.errors || !body.data?.shop) {
    throw new Error(`ShopDetails query failed: ${JSON.stringify(body.errors ?? "no data").slice(0, 300)}`);
  }
  const parsed = adminShopSchema.safeParse(body.data.shop);
  if (!parsed.success) throw new UnrecoverableError(`ShopDetails answer has an unexpected shape: ${parsed.error.message}`);
  await saveShopDetails(shopId, shopDetailsFromAdmin(parsed.data));
  return "synced";
}
