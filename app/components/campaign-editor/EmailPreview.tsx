import { useEffect, useState } from "react";
import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack, Select, Text } from "@shopify/polaris";
import { previewRefusalText, testSendNotice } from "../../domain/email-preview-notices";
import type { PreviewCustomer, PreviewResult, TestSendResult } from "../../models/email-preview.server";
import { PreviewCustomerPicker } from "./PreviewCustomerPicker";
import { RenderedEmail, WidthToggle, type EmailWidth } from "./RenderedEmail";
import type { EditorStep } from "./types";

type PreviewAnswer = PreviewResult | TestSendResult;

/**
 * The real e-mail of one step for one real customer, as the editor has it now (saved or not),
 * and "send test to me".
 */
export function EmailPreview(props: { campaignId: number; steps: EditorStep[]; stepIndex: number; onStepChange: (index: number) => void }) {
  const { steps, stepIndex } = props;
  const preview = useFetcher<PreviewAnswer>();
  const testSend = useFetcher<PreviewAnswer>();
  const [customer, setCustomer] = useState<PreviewCustomer | null>(null);
  const [width, setWidth] = useState<EmailWidth>("desktop");
  const action = `/app/campaigns/${props.campaignId}/preview`;
  const payload = (intent: "preview" | "test") => ({ intent, steps, stepIndex, customerId: customer?.id ?? null });

  // Re-render shortly after the merchant stops typing.
  const content = JSON.stringify([steps, stepIndex, customer?.id]);
  useEffect(() => {
    const timer = setTimeout(() => preview.submit(payload("preview"), { method: "post", action, encType: "application/json" }), 400);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [content]);

  const shown = preview.data && "html" in preview.data ? preview.data : null;
  const failure = preview.data && !preview.data.ok ? preview.data : null;
  const tested = testSendNotice(testSend.data);

  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Preview
        </Text>
        <Select
          label="Step"
          options={steps.map((_, index) => ({ label: `Step ${index + 1}`, value: String(index) }))}
          value={String(stepIndex)}
          onChange={(value) => props.onStepChange(Number(value))}
        />
        <PreviewCustomerPicker shownName={shown ? shown.customer.name : null} onChoose={setCustomer} />
        <InlineStack align="space-between" blockAlign="center">
          <WidthToggle width={width} onChange={setWidth} />
          <Button
            onClick={() => testSend.submit(payload("test"), { method: "post", action, encType: "application/json" })}
            loading={testSend.state !== "idle"}
            disabled={!shown}
          >
            Send test to me
          </Button>
        </InlineStack>
        {tested?.tone === "success" ? <Banner tone="success" title={tested.title} /> : null}
        {tested?.tone === "critical" ? (
          <Banner tone="critical" title={tested.title}>
            <p>{tested.detail}</p>
          </Banner>
        ) : null}
        {failure ? (
          <Banner tone="warning" title="No preview">
            <p>{previewRefusalText(failure)}</p>
          </Banner>
        ) : null}
        {shown ? <RenderedEmail shown={shown} width={width} /> : null}
      </BlockStack>
    </Card>
  );
}
