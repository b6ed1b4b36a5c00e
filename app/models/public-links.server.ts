import type { LinkFailure } from "./email-tracking.server";
import { clientAddress, overLimit, withinLimit } from "./rate-limit.server";

/**
 * The guard around every public e-mail link. Mailbox providers send one-click unsubscribes from
 * few addresses, so valid links are limited per link, not per address; invalid tokens (someone
 * guessing) are limited per client address.
 */
const INVALID_PER_MINUTE = 20;
const SAME_LINK_PER_MINUTE = 30;

const tooMany = () => new Response("Too many requests", { status: 429, headers: { "Retry-After": "60", "Cache-Control": "no-store" } });

export async function guardedLink(
  request: Request,
  rawToken: string,
  handle: () => Promise<Response | LinkFailure>,
  onFailure: (failure: LinkFailure) => Response,
): Promise<Response> {
  const client = clientAddress(request);
  if (await overLimit("bad-link", client, INVALID_PER_MINUTE, 60)) return tooMany();
  if (!(await withinLimit("link", rawToken.slice(-43), SAME_LINK_PER_MINUTE, 60))) return tooMany();
  const result = await handle();
  if (result instanceof Response) return result;
  await withinLimit("bad-link", client, INVALID_PER_MINUTE, 60);
  return onFailure(result);
}
