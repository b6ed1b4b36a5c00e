import { GraphqlQueryError, HttpResponseError } from "@shopify/shopify-api";
import { unauthenticated } from "../shopify.server";

/**
 * The worker's Admin API client: Shopify's own client on the shop's offline session, with errors
 * sorted into what a job should do about them.
 * - ShopifyThrottledError: the shop's cost bucket is empty; wait `retryAfterMs` (the worker delays
 *   the job without spending an attempt).
 * - ShopifyApiError with `permanent`: retrying cannot help (access denied, invalid query, no session).
 * - anything else: transient; the job retries with backoff.
 */

export class ShopifyThrottledError extends Error {
  override name = "ShopifyThrottledError";
  constructor(readonly retryAfterMs: number) {
    super(`Shopify throttled the request; retry in ${retryAfterMs} ms`);
  }
}

export class ShopifyApiError extends Error {
  override name = "ShopifyApiError";
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

/** What a processor needs: run an Admin GraphQL document for a shop and get its data. */
export type AdminQuery = <T = Record<string, unknown>>(shopDomain: string, query: string, variables?: Record<string, unknown>) => Promise<T>;

const PERMANENT_CODES = new Set([
  "ACCESS_DENIED",
  "undefinedField",
  "argumentNotAccepted",
  "missingRequiredArguments",
  "MAX_COST_EXCEEDED",
  "parseError",
  "GRAPHQL_VALIDATION_FAILED",
]);

interface ClientErrorBody {
  errors?: { graphQLErrors?: { message: string; extensions?: { code?: string } }[] };
  extensions?: { cost?: { requestedQueryCost?: number; throttleStatus?: { currentlyAvailable: number; restoreRate: number } } };
}

/** How long until the bucket holds what the request asked for (at least a second). */
export function throttleWaitMs(body: ClientErrorBody): number {
  const cost = body.extensions?.cost;
  const status = cost?.throttleStatus;
  if (!cost?.requestedQueryCost || !status || status.restoreRate <= 0) return 2_000;
  const missing = cost.requestedQueryCost - status.currentlyAvailable;
  return Math.max(1_000, Math.ceil((missing / status.restoreRate) * 1000));
}

export const adminQuery: AdminQuery = async <T,>(shopDomain: string, query: string, variables?: Record<string, unknown>) => {
  let admin;
  try {
    ({ admin } = await unauthenticated.admin(shopDomain));
  } catch (error) {
    throw new ShopifyApiError(`no usable offline session for the shop: ${(error as Error).message}`, true);
  }
  try {
    const response = await admin.graphql(query, { variables });
    const body = (await response.json()) as { data: T };
    return body.data;
  } catch (error) {
    if (error instanceof GraphqlQueryError) {
      const body = error.body as ClientErrorBody;
      const errors = body.errors?.graphQLErrors ?? [];
      if (errors.some((item) => item.extensions?.code === "THROTTLED")) throw new ShopifyThrottledError(throttleWaitMs(body));
      const message = errors.map((item) => `${item.extensions?.code ?? "ERROR"}: ${item.message}`).join("; ") || error.message;
      throw new ShopifyApiError(message, errors.some((item) => PERMANENT_CODES.has(item.extensions?.code ?? "")));
    }
    if (error instanceof HttpResponseError) {
      // 401/403/404: the token or the shop is gone; 5xx: Shopify is having trouble.
      throw new ShopifyApiError(`Admin API answered ${error.response.code}`, error.response.code < 500 && error.response.code !== 429);
    }
    throw error;
  }
};
