import type { ReactNode } from "react";
import { BlockStack, Card, Text } from "@shopify/polaris";

/** A card with a section heading: the pages' basic block. */
export function SectionCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
        {children}
      </BlockStack>
    </Card>
  );
}
