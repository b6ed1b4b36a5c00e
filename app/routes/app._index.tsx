import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, Banner, BlockStack, Card, InlineGrid, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { getShopOverview } from "../models/shop.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return { overview: await getShopOverview(session.shop) };
};

export default function Home() {
  const { overview } = useLoaderData<typeof loader>();
  const timezone = overview.ianaTimezone ?? "UTC";

  return (
    <Page title="Win-back">
      <Layout>
        {overview.detailsSyncedAt === null ? (
          <Layout.Section>
            <Banner tone="info" title="Reading your store details from Shopify">
              <p>Name, currency, timezone and postal address appear here within a minute of installing.</p>
            </Banner>
          </Layout.Section>
        ) : overview.missingAddress.length > 0 ? (
          <Layout.Section>
            <Banner tone="warning" title="Your store's postal address is incomplete">
              <p>
                Every marketing e-mail must show your postal address, so none will be sent until it is complete
                (missing: {overview.missingAddress.join(", ")}). Add it in Shopify under Settings → Store details.
              </p>
            </Banner>
          </Layout.Section>
        ) : null}

        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Store
              </Text>
              <InlineGrid columns={{ xs: 1, sm: 2 }} gap="300">
                <Fact label="Name" value={overview.name ?? "—"} />
                <Fact label="Shopify domain" value={overview.domain} />
                <Fact label="Currency" value={overview.currencyCode ?? "—"} />
                <Fact label="Timezone" value={overview.ianaTimezone ?? "—"} />
                <Fact label="Postal address" value={overview.postalAddress ?? "Not set"} />
                <Fact label="Installed" value={formatDateTime(overview.installedAt, timezone)} />
              </InlineGrid>
              <Text as="p" tone="subdued" variant="bodySm">
                {overview.detailsSyncedAt
                  ? `Details last read from Shopify ${formatDateTime(overview.detailsSyncedAt, timezone)}.`
                  : "Details not read from Shopify yet."}
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>

        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Shopify events
              </Text>
              <Fact label="Received in the last 24 hours" value={String(overview.webhooks.receivedLastDay)} />
              <Fact label="Being applied (queued or retrying)" value={String(overview.webhooks.pending)} />
              {overview.webhooks.failed.length === 0 ? (
                <InlineStack gap="200">
                  <Badge tone="success">None failed</Badge>
                </InlineStack>
              ) : (
                <BlockStack gap="100">
                  <Text as="p" tone="critical">
                    Failed after every retry (kept for inspection; applied again if Shopify resends them):
                  </Text>
                  {overview.webhooks.failed.map((failure) => (
                    <InlineStack key={failure.topic} gap="200">
                      <Badge tone="critical">{String(failure.count)}</Badge>
                      <Text as="span">{failure.topic}</Text>
                    </InlineStack>
                  ))}
                </BlockStack>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <BlockStack gap="050">
      <Text as="span" variant="bodySm" tone="subdued">
        {label}
      </Text>
      <Text as="span">{value}</Text>
    </BlockStack>
  );
}

// Fixed locale and the shop's timezone, so the server render and the browser agree.
function formatDateTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone }).format(new Date(iso));
}
