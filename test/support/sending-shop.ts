import { execute } from "../../app/db.server";
import { saveShopDetails } from "../../app/models/shop.server";
import type { ShopifyEmulator } from "./shopify-emulator/emulator";
import { installApp } from "./shopify-emulator/install";
import type { ShopState } from "./shopify-emulator/shop-state";

/**
 * A shop of the emulator installed and ready to e-mail, without a back-fill: its details (sender,
 * postal address) stored, and its first `customers` customers in our tables as subscribed buyers
 * whose last order is 200 days old (lapsed for the ready-made campaign), with no usual ordering hour.
 */
export async function sendingShop(
  emulator: ShopifyEmulator,
  { seed, customers }: { seed: string; customers: number },
): Promise<{ shopId: number; state: ShopState; customerIds: bigint[] }> {
  const state = emulator.addShop({ seed, customers, shopName: seed });
  const { shopId } = await installApp(emulator, state.domain);
  // Read already: the back-fill the install queued has nothing to do.
  await execute("UPDATE shops SET synced_at = now(), sync_state = 'completed' WHERE id = $1", [shopId]);
  await saveShopDetails(shopId, {
    name: seed,
    contactEmail: `hello@${seed}.example`,
    ianaTimezone: "UTC",
    currencyCode: "EUR",
    primaryDomainUrl: `https://${seed}.example`,
    postalAddress: { address1: "Calle Mayor 1", city: "Madrid", zip: "28013", country: "Spain", countryCodeV2: "ES" },
  });
  const customerIds: bigint[] = [];
  for (const { item } of state.customerSequence().scan(0, 1)) {
    await execute(
      `INSERT INTO customers (shop_id, id, email, first_name, email_marketing_state, orders_count, last_order_at, order_hours, updated_at)
       VALUES ($1, $2, $3, $4, 'SUBSCRIBED', 2, now() - interval '200 days', '{}', now())`,
      [shopId, item.id, item.email, item.firstName],
    );
    customerIds.push(BigInt(item.id));
  }
  return { shopId, state, customerIds };
}
