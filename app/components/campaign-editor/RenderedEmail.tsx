import { BlockStack, Box, Button, ButtonGroup, Text } from "@shopify/polaris";
import type { PreviewResult } from "../../models/email-preview.server";

export const EMAIL_WIDTHS = { desktop: 640, mobile: 375 } as const;
export type EmailWidth = keyof typeof EMAIL_WIDTHS;

export function WidthToggle({ width, onChange }: { width: EmailWidth; onChange: (width: EmailWidth) => void }) {
  return (
    <ButtonGroup variant="segmented">
      <Button pressed={width === "desktop"} onClick={() => onChange("desktop")}>
        Desktop
      </Button>
      <Button pressed={width === "mobile"} onClick={() => onChange("mobile")}>
        Mobile
      </Button>
    </ButtonGroup>
  );
}

/** The rendered e-mail: recipient, example code, subject, preheader, and the e-mail itself in a sandboxed frame (no script runs, links do not navigate the app). */
export function RenderedEmail({ shown, width }: { shown: Extract<PreviewResult, { ok: true }>; width: EmailWidth }) {
  return (
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
          style={{ width: EMAIL_WIDTHS[width], maxWidth: "100%", height: 720, border: 0, display: "block", margin: "0 auto" }}
        />
      </Box>
    </BlockStack>
  );
}
