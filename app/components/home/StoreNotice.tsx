import { Banner, Layout } from "@shopify/polaris";
import type { ShopOverview } from "../../models/shop.server";

/** Above everything: the store's details are still being read, or its postal address is incomplete. */
export function StoreNotice({ overview }: { overview: Pick<ShopOverview, "detailsSyncedAt" | "missingAddress"> }) {
  if (overview.detailsSyncedAt === null) {
    return (
      <Layout.Section>
        <Banner tone="info" title="Reading your store details from Shopify">
          <p>Name, currency, timezone and postal address appear here within a minute of installing.</p>
        </Banner>
      </Layout.Section>
    );
  }
  if (overview.missingAddress.length === 0) return null;
  return (
    <Layout.Section>
      <Banner tone="warning" title="Your store's postal address is incomplete">
        <p>
          Every marketing e-mail must show your postal address, so none will be sent until it is complete (missing:{" "}
          {overview.missingAddress.join(", ")}). Add it in Shopify under Settings → Store details.
        </p>
      </Banner>
    </Layout.Section>
  );
}
