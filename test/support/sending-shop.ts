import { execute } from "../../app/db.server";
import { saveShopDetails } from "../../app/models/shop.server";
import { makeCustomers } from "./factories";
import type { ShopifyEmulator } from "./shopify-emulator/emulator";
import { installApp } from "./shopify-emulator/install";
import type { ShopState } from "./shopify-emulator/shop-state";

/**
 * A shop of the emulator installed and ready to e-mail, without a back-fill: its details (sender,
 * postal address) stored, and its customers in our tables as the factories make them (subscribed
 * buyers whose last order is 200 days old, no usual ordering hour), with the emulator's ids and addresses.
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
  const records = [...state.customerSequence().scan(0, 1)].map(({ item }) => item);
  await makeCustomers(
    shopId,
    records.map((customer) => ({ id: customer.id, email: customer.email, firstName: customer.firstName })),
  );
  const customerIds = records.map((customer) => BigInt(customer.id));
  return { shopId, state, customerIds };
}
