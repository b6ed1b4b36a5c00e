import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { webhookRequest, type WebhookOptions } from "./shopify";

type RouteModule = {
  action?: (args: ActionFunctionArgs) => Promise<Response> | Response;
  loader?: (args: LoaderFunctionArgs) => unknown;
};

/** The route module serving a URI path, by Remix's flat-routes naming (/webhooks/app/uninstalled → webhooks.app.uninstalled.tsx). */
export async function routeModule(uriPath: string): Promise<RouteModule> {
  const file = path.resolve("app/routes", `${uriPath.replace(/^\//, "").replaceAll("/", ".")}.tsx`);
  return import(pathToFileURL(file).href) as Promise<RouteModule>;
}

/** Calls a route the way Remix does for this request's method. */
export async function callRoute(uriPath: string, request: Request, params: Record<string, string> = {}): Promise<Response> {
  const route = await routeModule(uriPath);
  const args = { request, params, context: {} };
  try {
    const handler = request.method === "GET" || request.method === "HEAD" ? route.loader : route.action;
    if (!handler) throw new Error(`${uriPath} has no ${request.method === "GET" ? "loader" : "action"}`);
    const result = await handler(args as ActionFunctionArgs & LoaderFunctionArgs);
    return result instanceof Response ? result : Response.json(result);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown; // Remix turns thrown responses into the response
    throw thrown;
  }
}

export async function postWebhook(options: WebhookOptions): Promise<Response> {
  return callRoute(`/webhooks/${options.topic}`, webhookRequest(options));
}

/** The public e-mail links: /u/<token>, /t/c/<token>, /t/o/<token> (routes u.$token, t.c.$token, t.o.$token). */
export async function callLink(url: string, init: RequestInit & { clientAddress?: string } = {}): Promise<Response> {
  const { pathname } = new URL(url);
  const match = /^\/(u|t\/c|t\/o)\/([^/]+)$/.exec(pathname);
  if (!match) throw new Error(`not an e-mail link: ${pathname}`);
  const headers = new Headers(init.headers);
  headers.set("x-forwarded-for", init.clientAddress ?? "203.0.113.7");
  return callRoute(`/${match[1]}/$token`, new Request(url, { ...init, headers }), { token: match[2]! });
}
