import { Form } from "@remix-run/react";
import { Button, Card, FormLayout, Text, TextField } from "@shopify/polaris";
import { useState } from "react";

/** Sign-in by shop domain, for opening the app outside Shopify Admin. */
export function ShopLoginCard({ error }: { error?: string }) {
  const [shop, setShop] = useState("");
  return (
    <Card>
      <Form method="post" action="/auth/login">
        <FormLayout>
          <Text variant="headingMd" as="h2">
            Log in
          </Text>
          <TextField
            type="text"
            name="shop"
            label="Shop domain"
            helpText="example.myshopify.com"
            value={shop}
            onChange={setShop}
            autoComplete="on"
            error={error}
          />
          <Button submit>Log in</Button>
        </FormLayout>
      </Form>
    </Card>
  );
}
