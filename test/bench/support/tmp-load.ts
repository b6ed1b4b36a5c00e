import autocannon from "autocannon";
import { randomUUID } from "node:crypto";
import { getHmac } from "@shopify/shopify-api/test-helpers";
const body = JSON.stringify({
  id: 820982911946154500,
  line_items: Array.from({ length: 6 }, (_, i) => ({
    id: i,
    title: "Product " + i,
    price: "19.95",
    sku: "SKU-" + i,
    vendor: "Bench Vendor",
  })),
  customer: { id: 1 },
  note: "x".repeat(2000),
});
const hmac = getHmac(body, "secret");
const r = await autocannon({
  url: process.argv[2] + "/webhooks/orders/create",
  method: "POST",
  connections: 50,
  duration: Number(process.argv[3] ?? 10),
  body,
  headers: {
    "content-type": "application/json",
    "x-shopify-topic": "orders/create",
    "x-shopify-shop-domain": "bench-shop.myshopify.com",
    "x-shopify-api-version": "2026-10",
    "x-shopify-hmac-sha256": hmac,
    "x-shopify-triggered-at": "2026-11-20T15:00:00.000Z",
  },
  requests: [
    {
      setupRequest: (req: any) => {
        const id = randomUUID();
        req.headers = { ...req.headers, "x-shopify-webhook-id": id, "x-shopify-event-id": id };
        return req;
      },
    },
  ],
});
console.log(r.requests.average, "req/s", r.latency.p99, "p99", r["2xx"], "ok", r.non2xx, "non2xx");
