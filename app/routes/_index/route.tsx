import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { AppProvider as PolarisAppProvider, BlockStack, Card, Page, Text } from "@shopify/polaris";
import polarisTranslations from "@shopify/polaris/locales/en.json";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { ShopLoginCard } from "../../components/ShopLoginCard";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  // Shopify opens the app with ?shop=…; hand over to the embedded app, which authenticates.
  if (url.searchParams.get("shop")) throw redirect(`/app?${url.searchParams.toString()}`);
  return { polarisTranslations };
};

export default function Landing() {
  const { polarisTranslations: i18n } = useLoaderData<typeof loader>();
  return (
    <PolarisAppProvider i18n={i18n}>
      <Page narrowWidth>
        <BlockStack gap="400">
          <Card>
            <BlockStack gap="200">
              <Text as="h1" variant="headingLg">
                Win-back
              </Text>
              <Text as="p">
                Brings lapsed customers back: notices when a customer who used to buy has gone quiet, sends a short, consented e-mail
                sequence with a personal single-use code and products picked for them, stops the moment they return, and shows what it
                really earned against a holdout group.
              </Text>
            </BlockStack>
          </Card>
          <ShopLoginCard />
        </BlockStack>
      </Page>
    </PolarisAppProvider>
  );
}
