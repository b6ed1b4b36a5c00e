import { Session } from "@shopify/shopify-api";
import { env } from "../../../app/env.server";
import { recordInstall } from "../../../app/models/shop.server";
import { sessionStorage } from "../../../app/shopify.server";
import type { ShopifyEmulator } from "./emulator";

/**
 * Installs the app on an emulated shop as Shopify's install would leave it: the emulator issues
 * an offline access token, the app stores it as its offline session (so `unauthenticated.admin`
 * works), and the app's afterAuth step records the shop. Needs the app's environment.
 */
export async function installApp(emulator: ShopifyEmulator, shopDomain: string): Promise<{ accessToken: string; shopId: number }> {
  const accessToken = emulator.issueAccessToken(shopDomain);
  await sessionStorage.storeSession(
    new Session({ id: `offline_${shopDomain}`, shop: shopDomain, state: "", isOnline: false, accessToken, scope: env.SCOPES }),
  );
  return { accessToken, shopId: await recordInstall(shopDomain) };
}
