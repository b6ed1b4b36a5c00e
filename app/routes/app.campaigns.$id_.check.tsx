import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect, useActionData, useLoaderData } from "@remix-run/react";
import { Banner, Layout, Page } from "@shopify/polaris";
import { CodesCard } from "../components/launch-check/CodesCard";
import { EntrantsCard } from "../components/launch-check/EntrantsCard";
import { GoLiveBar } from "../components/launch-check/GoLiveBar";
import { LaunchVerdictBanner } from "../components/launch-check/LaunchVerdictBanner";
import { RampCard } from "../components/launch-check/RampCard";
import { SamplesCard } from "../components/launch-check/SamplesCard";
import { ProblemList } from "../components/ProblemList";
import { launchVerdict } from "../domain/launch-verdict";
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
  const { verdict, warnings } = launchVerdict(campaign.status, check.problems);
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
          <LaunchVerdictBanner verdict={verdict} />
        </Layout.Section>
        {warnings.length > 0 ? (
          <Layout.Section>
            <Banner tone="warning">
              <ProblemList messages={warnings} />
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <EntrantsCard check={check} />
        </Layout.Section>
        <Layout.Section>
          <SamplesCard samples={check.samples} />
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <RampCard ramp={check.ramp} contacted={check.contacted} />
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <CodesCard check={check} />
        </Layout.Section>
        <Layout.Section>
          <GoLiveBar version={campaign.version} canGoLive={check.canGoLive} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
