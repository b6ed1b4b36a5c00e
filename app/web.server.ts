import { closeConnections } from "./connections.server";
import { checkHealth } from "./models/health.server";
import { receiveWebhook } from "./webhooks.server";

/**
 * What the web process (app/server/main.ts) takes from the app's server build, through
 * `entry.server.tsx`: it loads the build once, so the webhook door it opens before Remix shares the
 * build's modules (one pg pool, one Redis producer) instead of loading a second copy.
 */
export const web = {
  receiveWebhook,
  /** Readiness: PostgreSQL and Redis answer. */
  readiness: checkHealth,
  /** After the last request: close PostgreSQL, Prisma and Redis. */
  close: closeConnections,
};

export type WebApp = typeof web;
