import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { connect } from "node:net";
import path from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { buildApp, startBuiltApp, type RunningApp } from "../support/built-app";
import { makeShop } from "../support/factories";
import { eventually } from "../support/processes";
import { adminDocumentRequest, forgedBearerRequest, shopDomain, webhookHeaders, webhookRequest } from "../support/shopify";

// The production path: `npm run build` into a scratch directory, then `npm start` answering real HTTP.

let server: RunningApp;
let baseUrl: string;
let buildDir: string;

beforeAll(async () => {
  buildDir = await buildApp();
  server = await startBuiltApp(buildDir);
  baseUrl = server.baseUrl;
}, 180_000);

afterAll(async () => {
  await server?.stop();
  if (buildDir) await rm(buildDir, { recursive: true, force: true });
});

const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";

/** Sends a test Request to the running server, as a browser would (Shopify's library answers bots with 410). */
async function send(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const body = request.method === "GET" ? undefined : await request.text();
  const headers = new Headers(request.headers);
  headers.set("user-agent", BROWSER);
  return fetch(`${baseUrl}${url.pathname}${url.search}`, { method: request.method, headers, body, redirect: "manual" });
}

describe("npm start", () => {
  it("is live on /healthz, and ready on /readyz when PostgreSQL and Redis answer", async () => {
    const live = await fetch(`${baseUrl}/healthz`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ ok: true });
    const ready = await fetch(`${baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.headers.get("cache-control")).toBe("no-store");
    expect(await ready.json()).toEqual({ ok: true, checks: { postgres: "ok", redis: "ok" } });
  });

  it("serves the page's static assets, cached for good and compressed", async () => {
    const page = await fetch(`${baseUrl}/`, { headers: { "accept-encoding": "gzip" } });
    expect(page.headers.get("content-encoding")).toBe("gzip");
    const asset = /\/assets\/[\w.-]+\.js/.exec(await page.text())?.[0];
    expect(asset).toBeDefined();

    const script = await fetch(`${baseUrl}${asset}`, { headers: { "accept-encoding": "br, gzip" } });
    expect(script.status).toBe(200);
    expect(script.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(script.headers.get("content-encoding")).toBe("br");
    expect(script.headers.get("content-type")).toMatch(/^text\/javascript/);
    const plain = await fetch(`${baseUrl}${asset}`, { headers: { "accept-encoding": "identity" } });
    expect(plain.headers.get("content-encoding")).toBeNull();
    expect(await plain.text()).toBe(await script.text()); // fetch decodes the brotli body
  });

  it("accepts a signed webhook over HTTP and records it", async () => {
    const request = webhookRequest({ topic: "customers/create", shop: shopDomain("http-shop"), payload: { id: 7 }, webhookId: "http-1" });

    const response = await send(request);

    expect(response.status).toBe(200);
    expect(await prisma.webhookEvent.count({ where: { webhookId: "http-1" } })).toBe(1);
  });

  it("renders the embedded first page for Shopify Admin, framed only by that shop", async () => {
    await makeShop(
      { domain: shopDomain("render-shop"), name: "Render & Co", ianaTimezone: "Europe/Madrid", detailsSyncedAt: new Date() },
      { session: true },
    );

    const response = await send(await adminDocumentRequest("render-shop", "/app"));

    expect(response.status).toBe(200);
    expect(response.headers.get("content-security-policy")).toContain(
      "frame-ancestors https://render-shop.myshopify.com https://admin.shopify.com",
    );
    const html = await response.text();
    expect(html).toContain("Render &amp; Co");
    expect(html).toContain("Europe/Madrid");
    expect(html).toContain("Your store&#x27;s postal address is incomplete");
  });

  it("does not render the page for a forged session token", async () => {
    await prisma.shop.upsert({
      where: { domain: shopDomain("render-shop") },
      create: { domain: shopDomain("render-shop"), name: "Render & Co" },
      update: {},
    });

    const response = await send(await forgedBearerRequest("render-shop", "/app", "wrong-secret"));

    expect(response.status).toBe(401);
    expect(await response.text()).not.toContain("Render");
  });
});

describe("the server build", () => {
  it("is written where npm start reads it, and nowhere else", () => {
    expect(existsSync(path.join(buildDir, "server/index.js"))).toBe(true);
    expect(existsSync(path.join(buildDir, "client/assets"))).toBe(true);
  });
});

/** Holds the webhook inbox locked, so a delivery's insert waits (in flight) until it is released. */
async function lockWebhookInbox(): Promise<{ release(): Promise<void> }> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  await client.query("BEGIN");
  await client.query("LOCK TABLE webhook_events IN ACCESS EXCLUSIVE MODE");
  return {
    async release() {
      await client.query("ROLLBACK");
      await client.end();
    },
  };
}

/** Resolves once the app's insert into the inbox is waiting for the lock. */
async function deliveryWaitsForTheInbox(): Promise<void> {
  await eventually(async () => {
    const row = await prisma.$queryRawUnsafe<{ n: bigint }[]>(
      "SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO webhook_events%'",
    );
    return row[0]!.n > 0n;
  }, 20_000);
}

/** One connection to the server, on which webhook deliveries are written one after another (HTTP/1.1 pipelining). */
function webhookConnection(baseUrl: string) {
  const { hostname, port } = new URL(baseUrl);
  let received = "";
  const socket = connect(Number(port), hostname);
  socket.on("data", (chunk) => (received += chunk.toString()));
  const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
  socket.on("error", () => {});
  return {
    send(webhookId: string) {
      const body = JSON.stringify({ id: 1 });
      const headers = webhookHeaders({ topic: "customers/create", shop: shopDomain("drain-shop"), webhookId }, body);
      const lines = Object.entries({ ...headers, host: `${hostname}:${port}`, "content-length": String(Buffer.byteLength(body)) });
      socket.write(
        `POST /webhooks/customers/create HTTP/1.1\r\n${lines.map(([name, value]) => `${name}: ${value}`).join("\r\n")}\r\n\r\n${body}`,
      );
    },
    /** The status of each answer, once the server has closed the connection. */
    async statuses(): Promise<number[]> {
      await closed;
      return [...received.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((match) => Number(match[1]));
    },
  };
}

const storedWebhooks = (webhookId: string) => prisma.webhookEvent.count({ where: { webhookId } });

describe("npm start on SIGTERM", () => {
  // Its log says what it is doing; the tests read it.
  const withLogs = () => ({ LOG_LEVEL: "info" });
  const cleanUps: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp().catch(() => {});
  });
  const started = async (...args: Parameters<typeof startBuiltApp>) => {
    const app = await startBuiltApp(...args);
    cleanUps.push(() => app.stop());
    return app;
  };
  const locked = async () => {
    const inbox = await lockWebhookInbox();
    cleanUps.push(() => inbox.release());
    return inbox;
  };

  it("finishes the request in flight, answers 503 to a webhook arriving while it drains, and exits 0", async () => {
    const app = await started(buildDir, withLogs);
    const inbox = await locked();
    const connection = webhookConnection(app.baseUrl);
    connection.send("drain-in-flight");
    await deliveryWaitsForTheInbox();

    const signalledAt = Date.now();
    app.signal("SIGTERM");
    await eventually(async () => /draining requests in flight/.test(app.output()));
    expect((await fetch(`${app.baseUrl}/readyz`).catch(() => null))?.status ?? "refused").not.toBe(200);
    // The connection is busy with the first delivery, so it is still open for the next one
    // (whose answer waits behind the first's: answers go out in order).
    connection.send("drain-late");
    await new Promise((resolve) => setTimeout(resolve, 200));
    await inbox.release();

    expect(await connection.statuses()).toEqual([200, 503]);
    expect(await app.exitCode).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(10_000);
    expect(await storedWebhooks("drain-in-flight")).toBe(1);
    // Not acknowledged, not stored: Shopify's retry brings it to a process that is up.
    expect(await storedWebhooks("drain-late")).toBe(0);
  });

  it("exits at once on a second signal, without waiting for the request in flight", async () => {
    const app = await started(buildDir, withLogs);
    const inbox = await locked();
    const connection = webhookConnection(app.baseUrl);
    connection.send("second-signal");
    await deliveryWaitsForTheInbox();

    app.signal("SIGTERM");
    await eventually(async () => /draining requests in flight/.test(app.output()));
    await new Promise((resolve) => setTimeout(resolve, 600)); // a repeat within 500 ms counts as the same signal
    app.signal("SIGTERM");

    expect(await app.exitCode).toBe(1);
    // Cut without an answer: Shopify sees no 2xx and retries (the insert may still land; the retry finds it).
    expect(await connection.statuses()).toEqual([]);
    await inbox.release();
  });

  it("logs each request without its query string or the e-mail links' tokens", async () => {
    const app = await started(buildDir, withLogs);
    await fetch(`${app.baseUrl}/u/secret-unsubscribe-token?shop=a.myshopify.com&hmac=secret-hmac`);
    await fetch(`${app.baseUrl}/t/c/secret-click-token`);
    await fetch(`${app.baseUrl}/app?id_token=secret-session-token`);
    app.signal("SIGTERM");
    await app.exitCode;

    expect(app.output()).toMatch(/"path":"\/u\/:token"/);
    expect(app.output()).toMatch(/"path":"\/t\/c\/:token"/);
    expect(app.output()).toMatch(/"path":"\/app"/);
    expect(app.output()).not.toMatch(/secret-|a\.myshopify\.com/);
  });

  it("exits 0 when the signal comes while it is still starting", async () => {
    const app = await started(buildDir, withLogs, { waitUntilReady: false });
    await eventually(async () => /web process starting/.test(app.output()), 20_000);
    app.signal("SIGTERM");
    expect(await app.exitCode).toBe(0);
    expect(app.output()).toMatch(/web process stopped/);
  });

  it("runs WEB_CONCURRENCY processes and stops them all", async () => {
    const app = await started(buildDir, () => ({ ...withLogs(), WEB_CONCURRENCY: "2" }));
    await eventually(async () => (app.output().match(/web process listening/g) ?? []).length === 2, 20_000);
    expect((await fetch(`${app.baseUrl}/readyz`)).status).toBe(200);

    app.signal("SIGTERM");
    expect(await app.exitCode).toBe(0);
    expect(app.output().match(/web process stopped/g)).toHaveLength(2);
  });
});
