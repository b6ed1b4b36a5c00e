import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect, useActionData, useLoaderData } from "@remix-run/react";
import { Layout, Page } from "@shopify/polaris";
import { z } from "zod";
import { AudienceSummaryCard } from "../components/home/AudienceSummaryCard";
import { CampaignsCard } from "../components/home/CampaignsCard";
import { CustomerDataCard } from "../components/home/CustomerDataCard";
import { FlowTriggersCard } from "../components/home/FlowTriggersCard";
import { ShopifyEventsCard } from "../components/home/ShopifyEventsCard";
import { StoreCard } from "../components/home/StoreCard";
import { StoreNotice } from "../components/home/StoreNotice";
import { parseIntent } from "../domain/intent";
import { createDefaultCampaign } from "../models/campaigns.server";
import { getDashboard } from "../models/dashboard.server";
import { setFlowTriggers } from "../models/flow-triggers.server";
import { resyncShop } from "../models/shop.server";
import { authenticate } from "../shopify.server";
import { ensureShopId, requireShopId } from "../utils/route-guards.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return getDashboard(await ensureShopId(session.shop));
};

const homeIntents = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("create_campaign") }),
  z.object({ intent: z.literal("flow_on") }),
  z.object({ intent: z.literal("flow_off") }),
  z.object({ intent: z.literal("resync") }),
]);

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shopId = await requireShopId(session.shop);
  const parsed = parseIntent(homeIntents, Object.fromEntries(await request.formData()));
  if (!parsed.ok) return Response.json({ error: parsed.error }, { status: 400 });
  switch (parsed.data.intent) {
    case "create_campaign": {
      const created = await createDefaultCampaign(shopId);
      return redirect(`/app/campaigns/${created.id}`);
    }
    case "flow_on":
    case "flow_off":
      await setFlowTriggers(shopId, parsed.data.intent === "flow_on");
      return { flowTriggers: parsed.data.intent === "flow_on" };
    case "resync":
      return { resyncStarted: await resyncShop(shopId) };
  }
};

export default function Home() {
  const { overview, audience, campaigns, totals, flowTriggers } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const timezone = overview.ianaTimezone ?? "UTC";
  return (
    <Page title="Win-back">
      <Layout>
        <StoreNotice overview={overview} />
        <Layout.Section>
          <CampaignsCard campaigns={campaigns} totals={totals} currency={overview.currencyCode ?? "USD"} />
        </Layout.Section>
        <Layout.Section>
          <AudienceSummaryCard audience={audience} timezone={timezone} />
        </Layout.Section>
        <Layout.Section>
          <StoreCard overview={overview} timezone={timezone} />
        </Layout.Section>
        <Layout.Section>
          <CustomerDataCard
            sync={overview.sync}
            timezone={timezone}
            resyncStarted={!!answer && "resyncStarted" in answer && answer.resyncStarted}
          />
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <FlowTriggersCard on={flowTriggers} />
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <ShopifyEventsCard webhooks={overview.webhooks} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
