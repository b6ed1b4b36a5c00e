import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect, useActionData, useLoaderData } from "@remix-run/react";
import { BlockStack, Layout, Page } from "@shopify/polaris";
import { z } from "zod";
import { AudienceCard } from "../components/campaign-editor/AudienceCard";
import { EditorBanners } from "../components/campaign-editor/EditorBanners";
import { EmailPreview } from "../components/campaign-editor/EmailPreview";
import { SettingsCard } from "../components/campaign-editor/SettingsCard";
import { StepList } from "../components/campaign-editor/StepList";
import { useCampaignDraft } from "../components/campaign-editor/useCampaignDraft";
import { useEditorActions } from "../components/campaign-editor/useEditorActions";
import { useQualifyingToday } from "../components/campaign-editor/useQualifyingToday";
import { CampaignStatusBadge } from "../components/CampaignStatusBadge";
import { skipAfterReadOnlyActions } from "../components/revalidation";
import { parseIntent } from "../domain/intent";
import { changeCampaignStatus, deleteCampaign, editorEmailSettings, problemsOf, saveFromEditor } from "../models/campaigns.server";
import { getShopOverview } from "../models/shop.server";
import { authenticate } from "../shopify.server";
import { requireCampaign } from "../utils/route-guards.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { shopId, campaign } = await requireCampaign(session.shop, params.id);
  const [overview, problems, email] = await Promise.all([
    getShopOverview(shopId),
    problemsOf(shopId, campaign, { eligibleToday: null }),
    editorEmailSettings(shopId),
  ]);
  return {
    campaign: { id: campaign.id, handle: campaign.handle, status: campaign.status, settings: campaign.settings },
    problems,
    email,
    shop: {
      name: overview.name ?? overview.domain,
      contactEmail: overview.contactEmail,
      postalAddress: overview.postalAddress,
      missingAddress: overview.missingAddress,
      currency: overview.currencyCode ?? "USD",
    },
  };
};

type ActionAnswer =
  { saved: true } | { fieldErrors: Record<string, string> } | { refused: string } | { statusChanged: string } | { error: string };

// The settings and sender settings are checked by saveFromEditor (field by field, with the engine's schema).
const editorIntents = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("save"), settings: z.unknown(), email: z.unknown() }),
  z.object({ intent: z.literal("pause") }),
  z.object({ intent: z.literal("resume") }),
  z.object({ intent: z.literal("delete") }),
]);

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { shopId, campaign } = await requireCampaign(session.shop, params.id);
  const parsed = parseIntent(editorIntents, await request.json().catch(() => null));
  if (!parsed.ok) return Response.json({ error: parsed.error } satisfies ActionAnswer, { status: 400 });
  const body = parsed.data;
  switch (body.intent) {
    case "save": {
      const saved = await saveFromEditor(shopId, campaign.id, { settings: body.settings, email: body.email });
      if (saved.ok) return Response.json({ saved: true } satisfies ActionAnswer);
      if ("notFound" in saved) throw new Response("Campaign not found", { status: 404 });
      return Response.json({ fieldErrors: saved.fieldErrors } satisfies ActionAnswer, { status: 400 });
    }
    case "pause":
    case "resume": {
      const changed = await changeCampaignStatus(shopId, campaign.id, body.intent);
      if (changed.ok) return Response.json({ statusChanged: changed.campaign.status } satisfies ActionAnswer);
      if ("notFound" in changed) throw new Response("Campaign not found", { status: 404 });
      return Response.json({ refused: changed.reason } satisfies ActionAnswer, { status: 409 });
    }
    case "delete":
      await deleteCampaign(shopId, campaign.id);
      return redirect("/app");
  }
};

export const shouldRevalidate = skipAfterReadOnlyActions;

export default function CampaignEditor() {
  const { campaign, problems, email: savedEmail, shop } = useLoaderData<typeof loader>();
  const answer = useActionData<ActionAnswer>();
  const { draft, change, dirty } = useCampaignDraft({ settings: campaign.settings, email: savedEmail }, answer);
  const { settings, email } = draft.edited;
  const qualifyingToday = useQualifyingToday(campaign.id, settings.audience);
  const actions = useEditorActions({
    campaignId: campaign.id,
    status: campaign.status,
    dirty,
    edited: draft.edited,
    onSave: () => change({ type: "save-sent" }),
  });
  const refused = answer && "refused" in answer ? answer.refused : answer && "error" in answer ? answer.error : null;

  return (
    <Page
      backAction={{ content: "Home", url: "/app" }}
      title={settings.name || "Campaign"}
      titleMetadata={<CampaignStatusBadge status={campaign.status} />}
      {...actions}
    >
      <Layout>
        <EditorBanners
          fieldErrors={draft.fieldErrors}
          saved={!!answer && "saved" in answer && !dirty}
          refused={refused}
          status={campaign.status}
          problems={problems}
        />
        <Layout.Section variant="oneHalf">
          <BlockStack gap="400">
            <AudienceCard
              audience={settings.audience}
              onChange={(audience) => change({ type: "edit-settings", settings: { ...settings, audience } })}
              errors={draft.fieldErrors}
              qualifyingToday={qualifyingToday}
            />
            <StepList steps={settings.steps} change={change} errors={draft.fieldErrors} currency={shop.currency} />
            <SettingsCard
              settings={settings}
              onChange={(next) => change({ type: "edit-settings", settings: next })}
              email={email}
              onEmailChange={(next) => change({ type: "edit-email", email: next })}
              errors={draft.fieldErrors}
              shop={shop}
            />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <EmailPreview
            campaignId={campaign.id}
            steps={settings.steps}
            stepIndex={Math.min(draft.previewStep, settings.steps.length - 1)}
            onStepChange={(index) => change({ type: "preview-step", index })}
          />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
