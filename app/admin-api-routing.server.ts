import { Agent, setGlobalDispatcher, type Dispatcher } from "undici";
import { env } from "./env.server";
import { logger } from "./logger.server";

/**
 * Off by default. With SHOPIFY_ADMIN_API_ORIGIN set, every request this process makes to
 * https://<shop>.myshopify.com (Admin API, OAuth token endpoint) goes to that origin instead, with
 * the shop's host in X-Forwarded-Host: the local Shopify emulator used by tests, benchmarks and
 * the demo. Shopify's client has no host option, and Node's fetch reads undici's global
 * dispatcher, so this is the one switch; every other code path is the production one.
 */
class ShopRoutingAgent extends Agent {
  constructor(private readonly target: URL) {
    super();
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandlers): boolean {
    const origin = new URL(String(options.origin));
    if (!origin.hostname.endsWith(".myshopify.com")) return super.dispatch(options, handler);
    const headers = { ...(options.headers as Record<string, string> | undefined), "x-forwarded-host": origin.hostname };
    return super.dispatch({ ...options, origin: this.target.origin, headers }, handler);
  }
}

if (env.SHOPIFY_ADMIN_API_ORIGIN) {
  setGlobalDispatcher(new ShopRoutingAgent(new URL(env.SHOPIFY_ADMIN_API_ORIGIN)));
  logger.warn({ origin: env.SHOPIFY_ADMIN_API_ORIGIN }, "Admin API calls for *.myshopify.com go to a local emulator, not Shopify");
}
