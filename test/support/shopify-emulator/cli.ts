import { parseArgs } from "node:util";
import { ShopifyEmulator } from "./emulator";

/**
 * `npm run emulator -- [--customers 5000] [--seed demo] [--shop winback-demo] [--port 4900]
 *   [--app-url http://127.0.0.1:3000]`: a local Shopify for working by hand. Point the app at it
 * with SHOPIFY_ADMIN_API_ORIGIN and use the printed access token (see test/support/README.md).
 * The app's key and secret come from SHOPIFY_API_KEY / SHOPIFY_API_SECRET.
 */
const { values } = parseArgs({
  options: {
    customers: { type: "string", default: "5000" },
    seed: { type: "string", default: "demo" },
    shop: { type: "string", default: "winback-demo" },
    port: { type: "string", default: "4900" },
    "app-url": { type: "string" },
  },
});
const apiKey = process.env.SHOPIFY_API_KEY;
const apiSecret = process.env.SHOPIFY_API_SECRET;
if (!apiKey || !apiSecret) {
  console.error("Set SHOPIFY_API_KEY and SHOPIFY_API_SECRET to the app's credentials (webhooks are signed with the secret).");
  process.exit(2);
}
const emulator = await ShopifyEmulator.start(
  { apiKey, apiSecret, appUrl: values["app-url"], scopes: process.env.SCOPES },
  Number(values.port),
);
const shop = emulator.addShop({ seed: values.seed, customers: Number(values.customers), shopName: values.shop });
const token = emulator.issueAccessToken(shop.domain);
console.log(
  JSON.stringify(
    {
      origin: emulator.origin,
      shop: shop.domain,
      accessToken: token,
      customers: shop.store.customerCount,
      appUrl: values["app-url"] ?? null,
    },
    null,
    2,
  ),
);
console.log(
  `Point the app at it: SHOPIFY_ADMIN_API_ORIGIN=${emulator.origin}. Actions: POST ${emulator.origin}/emulator/<action>. Ctrl-C stops it.`,
);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void emulator.close().then(() => process.exit(0)));
}
