import "@shopify/shopify-app-remix/adapters/node";
import "./admin-api-routing.server";
import { ApiVersion, AppDistribution, LogSeverity, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import prisma from "./db.server";
import { env } from "./env.server";
import { logger } from "./logger.server";

export const apiVersion = ApiVersion.October26;

// Shopify's library logs through ours (JSON, same level, same redaction) instead of the console.
const librarySeverity: Record<string, LogSeverity> = {
  fatal: LogSeverity.Error,
  error: LogSeverity.Error,
  warn: LogSeverity.Warning,
  info: LogSeverity.Info,
  debug: LogSeverity.Debug,
  trace: LogSeverity.Debug,
  silent: LogSeverity.Error,
};
const libraryLogger = logger.child({ source: "shopify" });
const logMethod = {
  [LogSeverity.Error]: "error",
  [LogSeverity.Warning]: "warn",
  [LogSeverity.Info]: "info",
  [LogSeverity.Debug]: "debug",
} as const;

const shopify = shopifyApp({
  apiKey: env.SHOPIFY_API_KEY,
  apiSecretKey: env.SHOPIFY_API_SECRET,
  apiVersion,
  scopes: env.SCOPES.split(","),
  appUrl: env.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  sessionStorage: new PrismaSessionStorage(prisma),
  distribution: AppDistribution.AppStore,
  logger: {
    level: librarySeverity[env.LOG_LEVEL],
    httpRequests: false,
    timestamps: false,
    log: (severity, message) => libraryLogger[logMethod[severity]](message),
  },
  future: {
    unstable_newEmbeddedAuthStrategy: true,
    expiringOfflineAccessTokens: true,
  },
  hooks: {
    // Runs after token exchange stores a new offline session: first install or reinstall.
    // Loaded here, not at the top: every route imports `authenticate`, and the install's work
    // (the shop model, the job client) is only needed on this path.
    afterAuth: async ({ session }) => {
      const { recordInstall } = await import("./models/shop.server");
      await recordInstall(session.shop);
    },
  },
  ...(env.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [env.SHOP_CUSTOM_DOMAIN] } : {}),
});

export default shopify;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const sessionStorage = shopify.sessionStorage;
