// The baseline of the webhook benchmark: a bare node:http server that verifies Shopify's HMAC
// over the raw body and answers 200 — no framework, no storage, no queue.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";

const secret = process.env.SHOPIFY_API_SECRET!;
const port = Number(process.env.PORT);

createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    const expected = createHmac("sha256", secret).update(Buffer.concat(chunks)).digest();
    const given = Buffer.from(String(request.headers["x-shopify-hmac-sha256"] ?? ""), "base64");
    const valid = given.length === expected.length && timingSafeEqual(given, expected);
    response.writeHead(valid ? 200 : 401).end();
  });
}).listen(port, "127.0.0.1", () => console.log("listening"));
