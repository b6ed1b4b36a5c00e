import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, InlineGrid, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { getShopOverview, resyncShop } from "../models/shop.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return { overview: await getShopOverview(session.shop) };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return { resyncStarted: await resyncShop(session.shop) };
};

const SYNC_STATES: Record<string, { label: string; tone: "success" | "info" | "attention" | "critical" | undefined }> = {
  idle: { label: "Not started", tone: undefined },
  requested: { label: "Starting", tone: "info" },
  running: { label: "Importing", tone: "info" },
  completed: { label: "Up to date", tone: "success" },
  failed: { label: "Failed", tone: "critical" },
};

export default function Home() {
  const { overview } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const submitting = useNavigation().state === "submitting";
  const timezone = overview.ianaTimezone ?? "UTC";
  const sync = overview.sync;
  const syncState = SYNC_STATES[sync.state] ?? { label: sync.state, tone: undefined };

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

        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <InlineStack align="space-between" blockAlign="center">
                <InlineStack gap="200" blockAlign="center">
                  <Text as="h2" variant="headingMd">
                    Customer data
                  </Text>
                  <Badge tone={syncState.tone}>{syncState.label + (sync.state === "running" && sync.phase ? ` ${sync.phase}` : "")}</Badge>
                </InlineStack>
                <Form method="post">
                  <Button submit disabled={sync.state === "running" || sync.state === "requested"} loading={submitting}>
                    Read again from Shopify
                  </Button>
                </Form>
              </InlineStack>
              <InlineGrid columns={{ xs: 1, sm: 3 }} gap="300">
                <Fact label="Customers imported" value={sync.customersImported.toLocaleString("en-US")} />
                <Fact label="Orders imported" value={sync.ordersImported.toLocaleString("en-US")} />
                <Fact label="Products imported" value={sync.productsImported.toLocaleString("en-US")} />
              </InlineGrid>
              <Text as="p" tone="subdued" variant="bodySm">
                {sync.syncedAt ? `Last complete import ${formatDateTime(sync.syncedAt, timezone)}.` : "No complete import yet."}{" "}
                {sync.scoredAt ? `Scores computed ${formatDateTime(sync.scoredAt, timezone)}.` : ""} Orders, customers and consent stay
                current through Shopify's events in between.
              </Text>
              {sync.error ? (
                <Banner tone="critical" title="The last import failed">
                  <p>{sync.error}</p>
                </Banner>
              ) : null}
              {actionData?.resyncStarted ? <Banner tone="info" title="Reading your store again from Shopify" /> : null}
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
