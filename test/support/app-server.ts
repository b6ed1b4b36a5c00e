import { createServer, type IncomingMessage, type Server } from "node:http";
import { callRoute } from "./app-routes";
import { freePort } from "./services";

/**
 * A real HTTP endpoint in front of the app's route modules (as Remix would call them), for
 * deliveries that come over the wire, such as the emulator's webhooks. `inspect` sees each
 * request first and may answer it itself (to play an app in trouble).
 */
export async function startAppServer(
  inspect?: (request: Request, raw: IncomingMessage) => Promise<Response | undefined>,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer(async (incoming, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const headers = new Headers(Object.entries(incoming.headers).map(([name, value]) => [name, String(value)] as [string, string]));
    const body = Buffer.concat(chunks);
    const toRequest = () =>
      new Request(`https://winback.test${incoming.url}`, {
        method: incoming.method,
        headers,
        body: incoming.method === "GET" ? undefined : body,
      });
    const answer = (await inspect?.(toRequest(), incoming)) ?? (await callRoute(incoming.url!, toRequest()));
    response.writeHead(answer.status).end();
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
