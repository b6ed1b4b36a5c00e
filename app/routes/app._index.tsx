import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, redirect, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, InlineGrid, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { CampaignStatusBadge } from "../components/CampaignStatusBadge";
import { Fact } from "../components/Fact";
import { SectionCard } from "../components/SectionCard";
import { formatCount, formatDateTime, formatMoney, formatPoints } from "../components/format";
import { createDefaultCampaign } from "../models/campaigns.server";
import { getDashboard } from "../models/dashboard.server";
import { setFlowTriggers } from "../models/flow-triggers.server";
import { resyncShop } from "../models/shop.server";
import { shopifyGroupLabel } from "../domain/rfm";
import { authenticate } from "../shopify.server";
import { ensureShopId, requireShopId } from "../utils/route-guards.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return getDashboard(await ensureShopId(session.shop));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const intent = (await request.formData()).get("intent");
  if (intent === "create_campaign") {
    const created = await createDefaultCampaign(await requireShopId(session.shop));
    return redirect(`/app/campaigns/${created.id}`);
  }
  if (intent === "flow_on" || intent === "flow_off") {
    await setFlowTriggers(await requireShopId(session.shop), intent === "flow_on");
    return { flowTriggers: intent === "flow_on" };
  }
  return { resyncStarted: await resyncShop(await requireShopId(session.shop)) };
};

const SYNC_STATES: Record<string, { label: string; tone: "success" | "info" | "attention" | "critical" | undefined }> = {
  idle: { label: "Not started", tone: undefined },
  requested: { label: "Starting", tone: "info" },
  running: { label: "Importing", tone: "info" },
  completed: { label: "Up to date", tone: "success" },
  failed: { label: "Failed", tone: "critical" },
};

export default function Home() {
  const { overview, audience, campaigns, totals, flowTriggers } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submitting = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  const currency = overview.currencyCode ?? "USD";
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
                Every marketing e-mail must show your postal address, so none will be sent until it is complete (missing:{" "}
                {overview.missingAddress.join(", ")}). Add it in Shopify under Settings → Store details.
              </p>
            </Banner>
          </Layout.Section>
        ) : null}

        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  Campaigns
                </Text>
                <Form method="post">
                  <input type="hidden" name="intent" value="create_campaign" />
                  <Button submit loading={submitting("create_campaign")}>
                    Create campaign
                  </Button>
                </Form>
              </InlineStack>
              <InlineGrid columns={{ xs: 1, sm: 3 }} gap="300">
                <Fact label="Customers entered" value={formatCount(totals.entered)} />
                <Fact label="Conversions (contacted)" value={formatCount(totals.conversions)} />
                <Fact label="Revenue from conversions" value={formatMoney(totals.revenue, currency)} />
              </InlineGrid>
              {campaigns.map((campaign) => (
                <Card key={campaign.id} background="bg-surface-secondary">
                  <BlockStack gap="200">
                    <InlineStack align="space-between" blockAlign="center" gap="200">
                      <InlineStack gap="200" blockAlign="center">
                        <Text as="h3" variant="headingSm">
                          {campaign.name}
                        </Text>
                        <CampaignStatusBadge status={campaign.status} />
                      </InlineStack>
                      <InlineStack gap="200">
                        <Link to={`/app/campaigns/${campaign.id}`}>Edit</Link>
                        <Link to={`/app/campaigns/${campaign.id}/results`}>Results</Link>
                      </InlineStack>
                    </InlineStack>
                    {campaign.attention ? (
                      <Text as="p" tone={campaign.status === "live" ? "critical" : "subdued"}>
                        {campaign.attention}
                      </Text>
                    ) : null}
                    <InlineGrid columns={{ xs: 2, sm: 4 }} gap="200">
                      <Fact label="Entered" value={formatCount(campaign.entered)} />
                      <Fact label="Conversions" value={formatCount(campaign.conversions)} />
                      <Fact label="Revenue" value={formatMoney(campaign.revenue, currency)} />
                      <Fact
                        label="Lift against holdout"
                        value={
                          campaign.liftPoints === null
                            ? "Not enough data yet"
                            : `${formatPoints(campaign.liftPoints)}${campaign.liftSignificant ? "" : " (not yet certain)"}`
                        }
                      />
                    </InlineGrid>
                  </BlockStack>
                </Card>
              ))}
            </BlockStack>
          </Card>
        </Layout.Section>

        <Layout.Section>
          <SectionCard title="Today's audience">
            {audience === null ? (
              <Text as="p" tone="subdued">
                Counted once your customers and orders are read from Shopify.
              </Text>
            ) : (
              <>
                <InlineGrid columns={{ xs: 1, sm: 3 }} gap="300">
                  <Fact
                    label={`Lapsed (no order for ${audience.lapsedDays}+ days)`}
                    value={`${formatCount(audience.lapsed)} of ${formatCount(audience.buyers)} buyers`}
                  />
                  <Fact label="Of them subscribed to e-mail" value={formatCount(audience.subscribed)} />
                  <Fact label="Counted" value={formatDateTime(audience.takenAt, timezone)} />
                </InlineGrid>
                <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
                  <DataTable
                    columnContentTypes={["text", "numeric", "numeric"]}
                    headings={["Our RFM segment", "Lapsed", "Subscribed"]}
                    rows={audience.bySegment.map((row) => [row.label, formatCount(row.customers), formatCount(row.subscribed)])}
                  />
                  <DataTable
                    columnContentTypes={["text", "numeric", "numeric"]}
                    headings={["Shopify RFM group", "Lapsed", "Subscribed"]}
                    rows={audience.byShopifyGroup.map((row) => [
                      shopifyGroupLabel(row.group),
                      formatCount(row.customers),
                      formatCount(row.subscribed),
                    ])}
                  />
                </InlineGrid>
              </>
            )}
          </SectionCard>
        </Layout.Section>

        <Layout.Section>
          <SectionCard title="Store">
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
          </SectionCard>
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
                  <input type="hidden" name="intent" value="resync" />
                  <Button submit disabled={sync.state === "running" || sync.state === "requested"} loading={submitting("resync")}>
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
          <SectionCard title="Shopify Flow">
            <Text as="p">
              Start your own Flow workflows when a customer enters a campaign, converts, or leaves it (with the reason): for example, tag
              them or notify your team.
            </Text>
            <InlineStack gap="200" blockAlign="center">
              <Badge tone={flowTriggers ? "success" : undefined}>{flowTriggers ? "Triggers on" : "Triggers off"}</Badge>
              <Form method="post">
                <input type="hidden" name="intent" value={flowTriggers ? "flow_off" : "flow_on"} />
                <Button submit loading={submitting(flowTriggers ? "flow_off" : "flow_on")}>
                  {flowTriggers ? "Turn off" : "Turn on"}
                </Button>
              </Form>
            </InlineStack>
          </SectionCard>
        </Layout.Section>

        <Layout.Section variant="oneThird">
          <SectionCard title="Shopify events">
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
          </SectionCard>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
