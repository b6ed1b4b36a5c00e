import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import type { Logger } from "pino";
import type { IncomingWebhook } from "../webhooks.server";
import type { WebApp } from "../web.server";
import { loggablePath } from "./access-log";
import { sendFetchResponse, toFetchRequest } from "./remix-bridge";
import type { StaticFiles } from "./static-files";

/**
 * One web process's HTTP server. In order: liveness and readiness; webhook deliveries, answered
 * here before Remix by the build's own webhook door; the build's static files; everything else
 * through Remix's request handler.
 */

/** Shopify's largest webhook bodies are far below this; a bigger body is refused before it is read whole. */
const MAX_WEBHOOK_BYTES = 5 * 1024 * 1024;

export interface WebServer {
  server: Server;
  /**
   * Stops accepting, finishes the requests in flight, closes connections as they fall idle, and
   * after `timeoutMs` cuts whatever is left. Webhooks arriving meanwhile on open connections get 503.
   */
  drain(timeoutMs: number): Promise<{ cut: number }>;
}

export function createWebServer({
  build,
  web,
  staticFiles,
  logger,
}: {
  build: ServerBuild;
  web: WebApp;
  staticFiles: StaticFiles;
  logger: Logger;
}): WebServer {
  const handleRemix = createRequestHandler(build, "production");
  const webhookTopics = webhookTopicsOf(build);
  const inFlight = new Set<ServerResponse>();
  let draining = false;

  const answer = async (request: IncomingMessage, response: ServerResponse, pathname: string) => {
    if (pathname === "/healthz") return json(response, 200, { ok: true });
    if (pathname === "/readyz") {
      if (draining) return json(response, 503, { ok: false, draining: true });
      const health = await web.readiness();
      return json(response, health.ok ? 200 : 503, health);
    }
    const topic = request.method === "POST" ? webhookTopics.get(pathname) : undefined;
    if (topic) {
      // While draining, Shopify is told to come back (to another process): nothing is acknowledged half-way.
      const status = draining ? 503 : await web.receiveWebhook(incomingWebhook(request), topic).catch(tooLarge);
      // The rest of a refused body is not read: the connection cannot carry another request.
      if (status === 413) response.setHeader("Connection", "close");
      response.writeHead(status).end();
      return;
    }
    if (await staticFiles.serve(request, response, pathname)) return;
    const origin = `http://${request.headers.host ?? "localhost"}`;
    await sendFetchResponse(request, response, await handleRemix(toFetchRequest(request, response, origin)));
  };

  const server = createServer((request, response) => {
    const started = performance.now();
    const pathname = (request.url ?? "/").split("?", 1)[0]!;
    inFlight.add(response);
    if (draining) response.setHeader("Connection", "close");
    response.once("close", () => {
      inFlight.delete(response);
      const entry = {
        method: request.method,
        path: loggablePath(pathname),
        status: response.statusCode,
        ms: Math.round(performance.now() - started),
      };
      // Deliveries come by the thousand at peak: only the ones not taken are worth a line at info.
      const routine = response.statusCode === 200 && webhookTopics.has(pathname);
      logger[routine ? "debug" : "info"](entry, "request");
    });
    answer(request, response, pathname).catch((error: unknown) => {
      if (isClientGone(error)) return;
      logger.error({ path: loggablePath(pathname), err: error instanceof Error ? error.message : String(error) }, "request failed");
      if (!response.headersSent) json(response, 500, { error: "Internal Server Error" });
      else response.destroy();
    });
  });
  // Longer than a load balancer's idle timeout (60 s on most), so it is the balancer that closes idle connections.
  server.keepAliveTimeout = 65_000;

  return {
    server,
    async drain(timeoutMs) {
      // Requests from now on (e.g. the next on a connection whose current request is still running)
      // are answered 503 if they are webhooks, and every response from now on closes its connection.
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Connections whose response ended since are idle now: close them as they become so.
      const idleSweep = setInterval(() => server.closeIdleConnections(), 50);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), timeoutMs)));
      const outcome = await Promise.race([closed, timedOut]);
      clearInterval(idleSweep);
      clearTimeout(timer);
      const cut = outcome === "timeout" ? inFlight.size : 0;
      if (outcome === "timeout") {
        server.closeAllConnections();
        await closed;
      }
      return { cut };
    },
  };
}

/** `/webhooks/orders/create` → "orders/create", from the route modules that declare a `webhookTopic`. */
function webhookTopicsOf(build: ServerBuild): Map<string, string> {
  const topics = new Map<string, string>();
  for (const route of Object.values(build.routes)) {
    const topic = (route.module as { webhookTopic?: unknown }).webhookTopic;
    if (typeof topic === "string" && route.path) topics.set(`/${route.path}`, topic);
  }
  return topics;
}

function incomingWebhook(request: IncomingMessage): IncomingWebhook {
  return {
    method: request.method ?? "GET",
    header: (name) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value.join(", ") : (value ?? null);
    },
    body: () => readBody(request, MAX_WEBHOOK_BYTES),
  };
}

class BodyTooLarge extends Error {}

function tooLarge(error: unknown): number {
  if (error instanceof BodyTooLarge) return 413;
  throw error;
}

async function readBody(request: IncomingMessage, limit: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLarge(`body over ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

function json(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-store",
  });
  response.end(text);
}

function isClientGone(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === "ERR_STREAM_PREMATURE_CLOSE" || code === "ECONNRESET" || code === "ABORT_ERR" || (error as Error)?.name === "AbortError";
}
