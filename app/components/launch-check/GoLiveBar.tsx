import { Form, useNavigation } from "@remix-run/react";
import { Badge, Button, InlineStack } from "@shopify/polaris";

/** Go Live, for the settings this check was made of (`version`: the action refuses if they changed since). */
export function GoLiveBar({ version, canGoLive }: { version: string; canGoLive: boolean }) {
  const launching = useNavigation().state === "submitting";
  return (
    <InlineStack align="end" gap="200">
      {canGoLive ? <Badge tone="success">Ready</Badge> : null}
      <Form method="post">
        <input type="hidden" name="version" value={version} />
        <Button submit variant="primary" disabled={!canGoLive} loading={launching}>
          Go Live
        </Button>
      </Form>
    </InlineStack>
  );
}
