import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { AppProvider as PolarisAppProvider, Page } from "@shopify/polaris";
import polarisTranslations from "@shopify/polaris/locales/en.json";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { LoginErrorType } from "@shopify/shopify-app-remix/server";
import { ShopLoginCard } from "../../components/ShopLoginCard";
import { login } from "../../shopify.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

const loginErrors: Partial<Record<string, string>> = {
  [LoginErrorType.MissingShop]: "Please enter your shop domain to log in",
  [LoginErrorType.InvalidShop]: "Please enter a valid shop domain, e.g. example.myshopify.com",
};

// login() redirects into Shopify's OAuth when the domain is valid, or returns which field is wrong.
async function loginError(request: Request): Promise<string | undefined> {
  const result = await login(request);
  return result.shop ? loginErrors[result.shop] : undefined;
}

export const loader = async ({ request }: LoaderFunctionArgs) => ({
  error: await loginError(request),
  polarisTranslations,
});

export const action = async ({ request }: ActionFunctionArgs) => ({ error: await loginError(request) });

export default function Login() {
  const { error: loaderError, polarisTranslations: i18n } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <PolarisAppProvider i18n={i18n}>
      <Page narrowWidth>
        <ShopLoginCard error={actionData?.error ?? loaderError} />
      </Page>
    </PolarisAppProvider>
  );
}
