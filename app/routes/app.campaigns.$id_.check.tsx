import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, redirect, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, Button, DataTable, InlineGrid, InlineStack, Layout, List, Page, Text } from "@shopify/polaris";
import { Fact } from "../components/Fact";
import { SectionCard } from "../components/SectionCard";
import { Table } from "../components/Table";
import { formatCount, formatMoney } from "../components/format";
import { changeCampaignStatus } from "../models/campaigns.server";
import { launchCheck } from "../models/launch-check.server";
import { authenticate } from "../shopify.server";
import { requireCampaign } from "../utils/route-guards.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { shopId, campaign } = await requireCampaign(session.shop, params.id);
  return {
    campaign: { id: campaign.id, name: campaign.settings.name, status: campaign.status, version: campaign.updatedAt.toISOString() },
    check: await launchCheck(shopId, campaign),
  };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { shopId, campaign } = await requireCampaign(session.shop, params.id);
  const reviewed = new Date(String((await request.formData()).get("version")));
  if (Number.isNaN(reviewed.getTime())) return Response.json({ refused: "Run the pre-launch check before going Live" }, { status: 400 });
  const changed = await changeCampaignStatus(shopId, campaign.id, "go_live", { reviewed });
  if (changed.ok) return redirect(`/app/campaigns/${campaign.id}/results`);
  if ("notFound" in changed) throw new Response("Campaign not found", { status: 404 });
  return Response.json({ refused: changed.reason }, { status: 409 });
};

export default function LaunchCheckPage() {
  const { campaign, check } = useLoaderData<typeof loader>();
  const answer = useActionData<{ refused: string }>();
  const launching = useNavigation().state === "submitting";
  const blocking = check.problems.filter((problem) => problem.severity === "blocking");
  const warnings = check.problems.filter((problem) => problem.severity === "warning");
  const hour = (offset: number) => `Hour ${offset + 1}`;

  return (
    <Page backAction={{ content: "Campaign", url: `/app/campaigns/${campaign.id}` }} title={`Pre-launch check: ${campaign.name}`}>
      <Layout>
        {answer?.refused ? (
          <Layout.Section>
            <Banner tone="critical" title="Not launched">
              <p>{answer.refused}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          {blocking.length > 0 ? (
            <Banner tone="critical" title="Fix these before going Live">
              <List>
                {blocking.map((problem) => (
                  <List.Item key={problem.message}>{problem.message}</List.Item>
                ))}
              </List>
            </Banner>
          ) : campaign.status !== "draft" ? (
            <Banner tone="info" title={`This campaign is already ${campaign.status === "live" ? "Live" : "paused"}`} />
          ) : (
            <Banner tone="success" title="Nothing blocks the launch" />
          )}
        </Layout.Section>
        {warnings.length > 0 ? (
          <Layout.Section>
            <Banner tone="warning">
              <List>
                {warnings.map((problem) => (
                  <List.Item key={problem.message}>{problem.message}</List.Item>
                ))}
              </List>
            </Banner>
          </Layout.Section>
        ) : null}

        <Layout.Section>
          <SectionCard title="Who enters when you go Live">
            <InlineGrid columns={{ xs: 1, sm: 3 }} gap="300">
              <Fact label="Qualify today" value={formatCount(check.entrants)} />
              <Fact label="Will be e-mailed" value={formatCount(check.contacted)} />
              <Fact label={`Holdout (${check.holdoutPercent}%, never e-mailed)`} value={formatCount(check.holdout)} />
            </InlineGrid>
            <Text as="p" tone="subdued">
              Customers keep entering as they lapse; the enrollment runs every hour while the campaign is Live.
            </Text>
          </SectionCard>
        </Layout.Section>

        <Layout.Section>
          <SectionCard title={`${check.samples.length} of those to be e-mailed, and why they qualify`}>
            {check.samples.length === 0 ? (
              <Text as="p" tone="subdued">
                Nobody qualifies today.
              </Text>
            ) : (
              <Table
                label="Sample recipients"
                headings={["Customer", "E-mail", "Why they qualify"]}
                rows={check.samples.map((sample) => [sample.name, sample.email, sample.reason])}
              />
            )}
          </SectionCard>
        </Layout.Section>

        <Layout.Section variant="oneHalf">
          <SectionCard title="First e-mails per hour">
            <Text as="p">
              {check.contacted === 0
                ? "No first e-mails to spread."
                : `At most ${formatCount(check.ramp.perHour)} an hour, starting ${check.ramp.startsAfterHours === 0 ? "right away" : `${check.ramp.startsAfterHours} hours after going Live`}; ${check.ramp.totalHours} hour${check.ramp.totalHours === 1 ? "" : "s"} in all. Quiet hours and each customer's usual ordering hour can move an e-mail later.`}
            </Text>
            {check.ramp.hours.length > 0 ? (
              <DataTable
                columnContentTypes={["text", "numeric"]}
                headings={["Hour", "First e-mails"]}
                rows={check.ramp.hours.map((sends, offset) => [hour(offset), formatCount(sends)])}
              />
            ) : null}
          </SectionCard>
        </Layout.Section>

        <Layout.Section variant="oneHalf">
          <SectionCard title="Codes and their cost">
            <Fact
              label="Personal codes at most"
              value={`${formatCount(check.codes)} (${check.stepsWithNewCode} step${check.stepsWithNewCode === 1 ? "" : "s"} with a new code)`}
            />
            <Fact label="Worst-case discount cost" value={formatMoney(check.worstCaseDiscount, check.currencyCode)} />
            <Text as="p" tone="subdued">
              If every e-mailed customer used their biggest code on an order of their usual size. Each customer can use one code once; free
              shipping is not counted; a margin floor can only lower this.
            </Text>
          </SectionCard>
        </Layout.Section>

        <Layout.Section>
          <InlineStack align="end" gap="200">
            {check.canGoLive ? <Badge tone="success">Ready</Badge> : null}
            <Form method="post">
              <input type="hidden" name="version" value={campaign.version} />
              <Button submit variant="primary" disabled={!check.canGoLive} loading={launching}>
                Go Live
              </Button>
            </Form>
          </InlineStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
