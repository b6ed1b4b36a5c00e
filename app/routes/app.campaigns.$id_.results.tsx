import { useState } from "react";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, InlineGrid, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import { CampaignStatusBadge } from "../components/CampaignStatusBadge";
import { skipAfterReadOnlyActions } from "../components/revalidation";
import { DailyColumns, fillDays, HorizontalBars } from "../components/charts";
import { Fact } from "../components/Fact";
import { SectionCard } from "../components/SectionCard";
import { Table } from "../components/Table";
import { formatCount, formatDate, formatMoney, formatPercent, formatPoints } from "../components/format";
import { enrollmentStateLabel, exitReasonLabel } from "../domain/enrollment-state";
import { campaignCustomers, campaignResults, revenueByDay } from "../models/results.server";
import { getShopOverview } from "../models/shop.server";
import { authenticate } from "../shopify.server";
import { requireCampaign } from "../utils/route-guards.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { shopId, campaign } = await requireCampaign(session.shop, params.id);
  const overview = await getShopOverview(shopId);
  const timezone = overview.ianaTimezone ?? "UTC";
  const [results, daily, customers] = await Promise.all([
    campaignResults(shopId, campaign.id),
    revenueByDay(shopId, campaign.id, timezone),
    campaignCustomers(shopId, campaign.id, { page: 1 }),
  ]);
  return {
    campaign: {
      id: campaign.id,
      name: campaign.settings.name,
      status: campaign.status,
      attributionWindowDays: campaign.settings.attributionWindowDays,
    },
    currency: overview.currencyCode ?? "USD",
    timezone,
    results,
    daily,
    customers,
  };
};

const share = (part: number, whole: number) => (whole > 0 ? ` (${formatPercent(part / whole, 0)})` : "");

export const shouldRevalidate = skipAfterReadOnlyActions;

export default function ResultsPage() {
  const { campaign, currency, timezone, results, daily, customers: firstPage } = useLoaderData<typeof loader>();
  const list = useFetcher<typeof firstPage & { search: string; page: number }>();
  const [search, setSearch] = useState("");
  const { rows, hasNext, page } = list.data ?? { ...firstPage, page: 1 };
  const listed = list.data?.search ?? "";
  const showPage = (next: { search: string; page: number }) =>
    list.submit(next, { method: "post", action: `/app/campaigns/${campaign.id}/customers`, encType: "application/json" });
  const [exporting, setExporting] = useState<string | null>(null);
  const money = (amount: number) => formatMoney(amount, currency);
  const lift = results.lift;
  const contacted = results.contacted;
  const funnel = [
    { label: "Entered", value: results.entered, display: formatCount(results.entered) },
    { label: "Contacted (not holdout)", value: contacted, display: formatCount(contacted) },
    ...results.steps.map((step) => ({
      label: `Step ${step.step} sent`,
      value: step.sent,
      display: `${formatCount(step.sent)}${share(step.sent, contacted)}`,
    })),
    ...(() => {
      const opened = Math.max(0, ...results.steps.map((step) => step.opened));
      const clicked = Math.max(0, ...results.steps.map((step) => step.clicked));
      return [
        { label: "Opened (best step)", value: opened, display: `${formatCount(opened)}${share(opened, contacted)}` },
        { label: "Clicked (best step)", value: clicked, display: `${formatCount(clicked)}${share(clicked, contacted)}` },
      ];
    })(),
    {
      label: "Converted",
      value: results.conversions.contacted,
      display: `${formatCount(results.conversions.contacted)}${share(results.conversions.contacted, contacted)}`,
    },
  ];
  const days = fillDays(daily, (day) => ({ day, conversions: 0, revenue: 0 })).map((day) => ({
    label: day.day,
    value: day.revenue,
    display: `${money(day.revenue)}, ${day.conversions} conversions`,
  }));

  const exportCsv = async () => {
    setExporting("Preparing the file…");
    try {
      // fetch (not a link) so App Bridge adds the session token.
      const response = await fetch(`/app/campaigns/${campaign.id}/export`);
      if (!response.ok) throw new Error(`the server answered ${response.status}`);
      const url = URL.createObjectURL(await response.blob());
      const link = Object.assign(document.createElement("a"), { href: url, download: `campaign-${campaign.id}-customers.csv` });
      link.click();
      // Some browsers read the blob after click() returns.
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setExporting(null);
    } catch (error) {
      setExporting(`The export failed: ${(error as Error).message}`);
    }
  };

  return (
    <Page
      backAction={{ content: "Campaign", url: `/app/campaigns/${campaign.id}` }}
      title={`Results: ${campaign.name}`}
      titleMetadata={<CampaignStatusBadge status={campaign.status} />}
      secondaryActions={[{ content: "Export customers (CSV)", onAction: exportCsv }]}
    >
      <Layout>
        {exporting ? (
          <Layout.Section>
            <Banner tone={exporting.startsWith("The export failed") ? "critical" : "info"} title={exporting} />
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <SectionCard title="Revenue">
            <InlineGrid columns={{ xs: 1, sm: 3 }} gap="300">
              <Fact label="Last-click and code revenue" value={money(results.revenue)} />
              <Fact label="Discounts given" value={money(results.discountCost)} />
              <Fact label="Conversions" value={formatCount(results.conversions.contacted)} />
            </InlineGrid>
            <Text as="p" tone="subdued">
              {`Orders with the customer's code, or within ${campaign.attributionWindowDays} days of a click; refunds deducted, cancelled orders count nothing.`}
            </Text>
            <DailyColumns title="Conversion revenue per day" days={days} emptyText="No conversions yet." />
          </SectionCard>
        </Layout.Section>

        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <InlineStack gap="200" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  Incremental lift against the holdout
                </Text>
                {lift.enoughData ? (
                  <Badge tone={lift.significant ? "success" : "attention"}>{lift.significant ? "Confident" : "Not yet certain"}</Badge>
                ) : null}
              </InlineStack>
              {lift.enoughData ? (
                <>
                  <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="300">
                    <Fact
                      label="Contacted conversion rate"
                      value={`${formatPercent(lift.contactedRate)} of ${formatCount(results.contacted)}`}
                    />
                    <Fact label="Holdout conversion rate" value={`${formatPercent(lift.holdoutRate)} of ${formatCount(results.holdout)}`} />
                    <Fact
                      label="Difference (95% confidence interval)"
                      value={`${formatPoints(lift.difference.value * 100)} (${formatPoints(lift.difference.low * 100)} to ${formatPoints(lift.difference.high * 100)})`}
                    />
                    <Fact
                      label="Extra orders / extra revenue after discounts"
                      value={`${lift.extraOrders.toFixed(1)} / ${money(lift.extraRevenue)}`}
                    />
                  </InlineGrid>
                  <Text as="p" tone="subdued">
                    {lift.significant
                      ? "The interval excludes zero: the e-mails change how many customers come back."
                      : "The interval includes zero: the difference may still be chance. It narrows as more customers go through."}
                  </Text>
                </>
              ) : (
                <Text as="p">{`Not enough data yet: ${lift.reason}.`}</Text>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>

        <Layout.Section>
          <SectionCard title="Funnel">
            <HorizontalBars title="Funnel from entered to converted" bars={funnel} />
            <Text as="p" tone="subdued">
              Opens are approximate: some mail apps load images without a reader.
            </Text>
          </SectionCard>
        </Layout.Section>

        <Layout.Section>
          <SectionCard title="Per step">
            <Table
              label="Performance per step"
              headings={["Step", "Sent", "Opened", "Clicked", "Unsubscribed", "Conversions", "Revenue"]}
              numeric={[1, 2, 3, 4, 5, 6]}
              rows={results.steps.map((step) => [
                `Step ${step.step}`,
                formatCount(step.sent),
                `${formatCount(step.opened)}${share(step.opened, step.sent)}`,
                `${formatCount(step.clicked)}${share(step.clicked, step.sent)}`,
                formatCount(step.unsubscribed),
                formatCount(step.conversions),
                money(step.revenue),
              ])}
            />
          </SectionCard>
        </Layout.Section>

        <Layout.Section>
          <SectionCard title="Customers">
            <form
              onSubmit={(event) => {
                event.preventDefault();
                showPage({ search, page: 1 });
              }}
            >
              <InlineStack gap="200" blockAlign="end">
                <div style={{ flexGrow: 1 }}>
                  <TextField label="Search by name or e-mail" value={search} onChange={setSearch} autoComplete="off" />
                </div>
                <Button submit loading={list.state !== "idle"}>
                  Search
                </Button>
              </InlineStack>
            </form>
            <Table
              label="Customers of this campaign"
              headings={["Customer", "Group", "State", "Why they left", "Entered", "Revenue"]}
              numeric={[5]}
              rows={rows.map((row) => [
                row.email ? `${row.name} <${row.email}>` : row.name,
                row.holdout ? "Holdout" : "Contacted",
                enrollmentStateLabel(row.status, row.holdout, row.lastStepSent),
                exitReasonLabel(row.exitReason) ?? "",
                formatDate(row.enteredAt, timezone),
                row.revenue === null ? "" : money(row.revenue),
              ])}
            />
            {rows.length === 0 ? (
              <Text as="p" tone="subdued">
                {listed ? "No customer of this campaign matches." : "No customer has entered yet."}
              </Text>
            ) : null}
            <InlineStack align="center" gap="300" blockAlign="center">
              {/* Buttons, not Polaris's Pagination: its disabled link carries an aria-label links may not have. */}
              <Button disabled={page <= 1} onClick={() => showPage({ search: listed, page: page - 1 })}>
                Previous page
              </Button>
              <Text as="span">{`Page ${page}`}</Text>
              <Button disabled={!hasNext} onClick={() => showPage({ search: listed, page: page + 1 })}>
                Next page
              </Button>
            </InlineStack>
          </SectionCard>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
