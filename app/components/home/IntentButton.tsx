import { Form, useNavigation } from "@remix-run/react";
import { Button } from "@shopify/polaris";

/** A button posting one of the home page's intents, loading while that intent is being submitted. */
export function IntentButton({ intent, disabled, children }: { intent: string; disabled?: boolean; children: string }) {
  const navigation = useNavigation();
  const loading = navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <Button submit disabled={disabled} loading={loading}>
        {children}
      </Button>
    </Form>
  );
}
