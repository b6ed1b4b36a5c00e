import { useEffect, useState } from "react";
import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, ButtonGroup, Card, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import type { EditorStep } from "./types";

import type { PreviewCustomer, PreviewResult, TestSendResult } from "../../models/email-preview.server";

type PreviewAnswer = PreviewResult | TestSendResult;

const WIDTHS = { desktop: 640, mobile: 375 } as const;

/**
 * The real e-mail of one step for one real customer, as the editor has it now (saved or not),
 * and "send test to me". The e-mail is shown in a sandboxed frame: no script runs, links do not
 * navigate the app.
 */
export function EmailPreview({
  campaignId,
  steps,
  stepIndex,
  onStepChange,
}: {
  campaignId: number;
  steps: EditorStep[];
  stepIndex: number;
  onStepChange: (index: number) => void;
}) {
  const preview = useFetcher<PreviewAnswer>();
  const testSend = useFetcher<PreviewAnswer>();
  const search = useFetcher<{ customers: PreviewCustomer[] }>();
  const [customer, setCustomer] = useState<PreviewCustomer | null>(null);
  const [query, setQuery] = useState("");
  const [width, setWidth] = useState<keyof typeof WIDTHS>("desktop");
  const action = `/app/campaigns/${campaignId}/preview`;
  const payload = (intent: "preview" | "test") => ({ intent, steps, stepIndex, customerId: customer?.id ?? null });

  // Re-render shortly after the merchant stops typing.
  const content = JSON.stringify([steps, stepIndex, customer?.id]);
  useEffect(() => {
    const timer = setTimeout(() => preview.submit(payload("preview"), { method: "post", action, encType: "application/json" }), 400);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [content]);

  useEffect(() => {
    const timer = setTimeout(
      () => search.submit({ q: query }, { method: "post", action: "/app/customers", encType: "application/json" }),
      300,
    );
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [query]);

  const shown = preview.data && "html" in preview.data ? preview.data : null;
  const failure = preview.data && !preview.data.ok ? preview.data : null;
  const tested = testSend.data;

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
          onChange={(value) => onStepChange(Number(value))}
        />
        <TextField label="Preview for customer (search by name or e-mail)" value={query} onChange={setQuery} autoComplete="off" />
        {search.data?.customers.length ? (
          <Select
            label="Customer"
            labelHidden
            options={[
              { label: shown ? `Showing: ${shown.customer.name}` : "Choose a customer…", value: "" },
              ...search.data.customers.map((found) => ({
                label: `${found.name}${found.email ? ` <${found.email}>` : ""}`,
                value: found.id,
              })),
            ]}
            value=""
            onChange={(id) => setCustomer(search.data!.customers.find((found) => found.id === id) ?? null)}
          />
        ) : null}
        <InlineStack align="space-between" blockAlign="center">
          <ButtonGroup variant="segmented">
            <Button pressed={width === "desktop"} onClick={() => setWidth("desktop")}>
              Desktop
            </Button>
            <Button pressed={width === "mobile"} onClick={() => setWidth("mobile")}>
              Mobile
            </Button>
          </ButtonGroup>
          <Button
            onClick={() => testSend.submit(payload("test"), { method: "post", action, encType: "application/json" })}
            loading={testSend.state !== "idle"}
            disabled={!shown}
          >
            Send test to me
          </Button>
        </InlineStack>
        {tested ? (
          "to" in tested ? (
            <Banner tone="success" title={`Test e-mail sent to ${tested.to}`} />
          ) : !tested.ok ? (
            <Banner tone="critical" title="The test was not sent">
              <p>{"reason" in tested ? tested.reason : "Fix the step's fields first."}</p>
            </Banner>
          ) : null
        ) : null}
        {failure ? (
          <Banner tone="warning" title="No preview">
            <p>{"reason" in failure ? failure.reason : (Object.values(failure.fieldErrors)[0] ?? "Fix the step's fields first.")}</p>
          </Banner>
        ) : null}
        {shown ? (
          <BlockStack gap="200">
            <Text as="p">
              To <strong>{shown.customer.name}</strong>
              {shown.code ? ` · example code ${shown.code} (each customer gets their own when the e-mail is sent)` : ""}
            </Text>
            <Text as="p" variant="headingSm">
              {shown.subject}
            </Text>
            <Text as="p" tone="subdued">
              {shown.preheader}
            </Text>
            <Box borderWidth="025" borderColor="border" borderRadius="200" overflowX="scroll">
              <iframe
                title={`E-mail preview, ${width}`}
                sandbox=""
                srcDoc={shown.html}
                style={{ width: WIDTHS[width], maxWidth: "100%", height: 720, border: 0, display: "block", margin: "0 auto" }}
              />
            </Box>
          </BlockStack>
        ) : null}
      </BlockStack>
    </Card>
  );
}
