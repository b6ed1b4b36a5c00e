import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { buildApp, startBuiltApp, type RunningApp } from "../support/built-app";
import { makeShop } from "../support/factories";
import { adminDocumentRequest, forgedBearerRequest, shopDomain, webhookRequest } from "../support/shopify";

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
  it("serves /healthz with 200 when PostgreSQL and Redis answer", async () => {
    const response = await fetch(`${baseUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, checks: { postgres: "ok", redis: "ok" } });
  });

  it("serves the page's static assets", async () => {
    const html = await (await fetch(`${baseUrl}/`)).text();
    const asset = /\/assets\/[\w.-]+\.js/.exec(html)?.[0];
    expect(asset).toBeDefined();
    expect((await fetch(`${baseUrl}${asset}`)).status).toBe(200);
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
