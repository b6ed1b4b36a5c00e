import { useEffect, useRef, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect, useActionData, useFetcher, useLoaderData, useNavigate, useNavigation, useSubmit } from "@remix-run/react";
import { Banner, BlockStack, Button, InlineStack, Layout, List, Page } from "@shopify/polaris";
import { AudienceCard } from "../components/campaign-editor/AudienceCard";
import { EmailPreview } from "../components/campaign-editor/EmailPreview";
import { DEFAULT_NEW_OFFER } from "../components/campaign-editor/OfferFields";
import { SettingsCard } from "../components/campaign-editor/SettingsCard";
import { StepCard } from "../components/campaign-editor/StepCard";
import { MAX_STEPS, type EditorSettings, type EmailSettingsDraft } from "../components/campaign-editor/types";
import { CampaignStatusBadge } from "../components/CampaignStatusBadge";
import { skipAfterReadOnlyActions } from "../components/revalidation";
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

type ActionAnswer = { saved: true } | { fieldErrors: Record<string, string> } | { refused: string } | { statusChanged: string };

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { shopId, campaign } = await requireCampaign(session.shop, params.id);
  const body = (await request.json().catch(() => null)) as { intent?: string; settings?: unknown; email?: unknown } | null;
  switch (body?.intent) {
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
    default:
      return Response.json({ fieldErrors: { settings: "Unknown request" } } satisfies ActionAnswer, { status: 400 });
  }
};

export const shouldRevalidate = skipAfterReadOnlyActions;

export default function CampaignEditor() {
  const { campaign, problems, email: savedEmail, shop } = useLoaderData<typeof loader>();
  const answer = useActionData<ActionAnswer>();
  const submit = useSubmit();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const [settings, setSettings] = useState<EditorSettings>(campaign.settings);
  const [email, setEmail] = useState<EmailSettingsDraft>(savedEmail);
  const [previewStep, setPreviewStep] = useState(0);
  const [saved, setSaved] = useState({ settings: campaign.settings, email: savedEmail });
  // What the last save sent: edits typed while it was on its way are not saved by it.
  const sent = useRef(saved);
  const audienceCount = useFetcher<{ count?: number; error?: string }>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const dirty = JSON.stringify({ settings, email }) !== JSON.stringify(saved);
  const busy = (intent: string) => navigation.state !== "idle" && (navigation.json as { intent?: string } | undefined)?.intent === intent;

  useEffect(() => {
    if (answer && "saved" in answer) setSaved(sent.current);
    setFieldErrors(answer && "fieldErrors" in answer ? answer.fieldErrors : {});
  }, [answer]);

  // The live count of who qualifies, after the merchant stops editing the audience.
  const audienceKey = JSON.stringify(settings.audience);
  useEffect(() => {
    const timer = setTimeout(
      () =>
        audienceCount.submit(
          { audience: settings.audience },
          { method: "post", action: `/app/campaigns/${campaign.id}/audience`, encType: "application/json" },
        ),
      500,
    );
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [audienceKey]);

  const post = (intent: string, extra: Record<string, unknown> = {}) =>
    submit({ intent, ...extra } as never, { method: "post", encType: "application/json" });
  const save = () => {
    sent.current = { settings, email };
    post("save", { settings, email });
  };
  const setStep = (index: number, step: EditorSettings["steps"][number]) =>
    setSettings({ ...settings, steps: settings.steps.map((old, i) => (i === index ? step : old)) });
  const addStep = () => {
    const last = settings.steps[settings.steps.length - 1]!;
    setSettings({
      ...settings,
      steps: [
        ...settings.steps,
        {
          ...last,
          delayHours: (last.delayHours ?? 0) + 4 * 24,
          offer: { use: "new", offer: DEFAULT_NEW_OFFER },
          content: { ...last.content, showOffer: true },
        },
      ],
    });
  };
  const removeStep = (index: number) => {
    setSettings({ ...settings, steps: settings.steps.filter((_, i) => i !== index) });
    setPreviewStep(0);
    // The steps after it move up: their errors would show on the wrong card.
    setFieldErrors({});
  };
  const statusAction =
    campaign.status === "draft"
      ? {
          content: "Pre-launch check",
          disabled: dirty,
          helpText: dirty ? "Save first" : undefined,
          onAction: () => navigate(`/app/campaigns/${campaign.id}/check`),
        }
      : campaign.status === "live"
        ? { content: "Pause", loading: busy("pause"), onAction: () => post("pause") }
        : { content: "Resume", loading: busy("resume"), onAction: () => post("resume") };
  const blocking = problems.filter((problem) => problem.severity === "blocking");

  return (
    <Page
      backAction={{ content: "Home", url: "/app" }}
      title={settings.name || "Campaign"}
      titleMetadata={<CampaignStatusBadge status={campaign.status} />}
      primaryAction={{ content: "Save", onAction: save, loading: busy("save"), disabled: !dirty }}
      secondaryActions={[
        statusAction,
        { content: "Results", onAction: () => navigate(`/app/campaigns/${campaign.id}/results`) },
        {
          content: "Delete",
          destructive: true,
          onAction: () => confirm("Delete this campaign? Its customers leave it and their codes are deleted.") && post("delete"),
        },
      ]}
    >
      <Layout>
        {Object.keys(fieldErrors).length > 0 ? (
          <Layout.Section>
            <Banner
              tone="critical"
              title={`Not saved: ${Object.keys(fieldErrors).length === 1 ? "one field needs" : `${Object.keys(fieldErrors).length} fields need`} fixing`}
            >
              <List>
                {Object.entries(fieldErrors).map(([path, message]) => (
                  <List.Item key={path}>{message}</List.Item>
                ))}
              </List>
            </Banner>
          </Layout.Section>
        ) : null}
        {answer && "saved" in answer && !dirty ? (
          <Layout.Section>
            <Banner tone="success" title="Saved" />
          </Layout.Section>
        ) : null}
        {answer && "refused" in answer ? (
          <Layout.Section>
            <Banner tone="critical" title="Not changed">
              <p>{answer.refused}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        {blocking.length > 0 ? (
          <Layout.Section>
            <Banner tone="warning" title={campaign.status === "live" ? "Sending is held until this is fixed" : "Before it can go Live"}>
              <List>
                {blocking.map((problem) => (
                  <List.Item key={problem.message}>{problem.message}</List.Item>
                ))}
              </List>
            </Banner>
          </Layout.Section>
        ) : null}

        <Layout.Section variant="oneHalf">
          <BlockStack gap="400">
            <AudienceCard
              audience={settings.audience}
              onChange={(audience) => setSettings({ ...settings, audience })}
              errors={fieldErrors}
              qualifyingToday={{
                count: audienceCount.data?.count ?? null,
                loading: audienceCount.state !== "idle",
                error: audienceCount.data?.error ?? null,
              }}
            />
            {settings.steps.map((step, index) => (
              <StepCard
                key={index}
                index={index}
                step={step}
                onChange={(next) => setStep(index, next)}
                onRemove={settings.steps.length > 1 ? () => removeStep(index) : null}
                errors={fieldErrors}
                currency={shop.currency}
                hasEarlierCode={settings.steps.slice(0, index).some((earlier) => earlier.offer.use === "new")}
                onPreview={() => setPreviewStep(index)}
              />
            ))}
            {settings.steps.length < MAX_STEPS ? (
              <InlineStack>
                <Button onClick={addStep}>Add step {String(settings.steps.length + 1)}</Button>
              </InlineStack>
            ) : null}
            <SettingsCard
              settings={settings}
              onChange={setSettings}
              email={email}
              onEmailChange={setEmail}
              errors={fieldErrors}
              shop={shop}
            />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <EmailPreview
            campaignId={campaign.id}
            steps={settings.steps}
            stepIndex={Math.min(previewStep, settings.steps.length - 1)}
            onStepChange={setPreviewStep}
          />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
