import type { IncomingMessage, ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { acceptedEncoding, isCompressible, streamingGzip } from "./compression";

/**
 * Node's request and response to and from the Fetch API objects Remix's handler speaks, as
 * @remix-run/express does, without Express.
 */

/** The request as Remix sees it; its signal aborts loaders and actions once the client is gone. */
export function toFetchRequest(request: IncomingMessage, response: ServerResponse, origin: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (Array.isArray(value)) for (const one of value) headers.append(name, one);
    else if (value !== undefined) headers.set(name, value);
  }
  const controller = new AbortController();
  let answered = false;
  response.once("finish", () => (answered = true));
  response.once("close", () => {
    if (!answered) controller.abort();
  });
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  return new Request(new URL(request.url ?? "/", origin), {
    method: request.method,
    headers,
    signal: controller.signal,
    ...(hasBody ? { body: createReadableStreamFromReadable(request), duplex: "half" } : {}),
  } as RequestInit);
}

/** Writes Remix's response, gzip-compressed when the client accepts it and the body is text. */
export async function sendFetchResponse(request: IncomingMessage, response: ServerResponse, answer: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  answer.headers.forEach((value, name) => {
    if (name !== "set-cookie") headers[name] = value;
  });
  const cookies = answer.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;

  const compress =
    answer.body !== null &&
    request.method !== "HEAD" &&
    !answer.headers.has("content-encoding") &&
    isCompressible(answer.headers.get("content-type")) &&
    acceptedEncoding(request.headers["accept-encoding"], ["gzip"]) === "gzip";
  if (compress) {
    headers["content-encoding"] = "gzip";
    delete headers["content-length"];
    headers.vary = answer.headers.has("vary") ? `${answer.headers.get("vary")}, Accept-Encoding` : "Accept-Encoding";
  }
  response.writeHead(answer.status, answer.statusText || undefined, headers);
  if (!answer.body || request.method === "HEAD") {
    response.end();
    return;
  }
  const body = Readable.fromWeb(answer.body as import("node:stream/web").ReadableStream);
  await (compress ? pipeline(body, streamingGzip(), response) : pipeline(body, response));
}
