import { API_KEY, API_SECRET_KEY } from "@shopify/shopify-api/test-helpers";

/** The app's environment in tests: Shopify's test credentials, quiet logs. */
export const TEST_APP_URL = "https://winback.test";

export function testAppEnv(): Record<string, string> {
  return {
    NODE_ENV: "test",
    SHOPIFY_API_KEY: API_KEY,
    SHOPIFY_API_SECRET: API_SECRET_KEY,
    SHOPIFY_APP_URL: TEST_APP_URL,
    EMAIL_FROM_ADDRESS: "win-back@mail.winback.test",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    // npm start runs in production mode, whose default is one web process per core.
    WEB_CONCURRENCY: "1",
  };
}
