import type { AdminMutations, AdminQueries } from "@shopify/admin-api-client";
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

/**
 * Every Admin API operation the app sends, keyed by its GraphQL document: `npm run graphql-codegen`
 * writes `app/types/admin.generated.d.ts`, which adds each document's result and variables to
 * `@shopify/admin-api-client`'s operation map. The index signature the package declares is left
 * out, so a document codegen has not seen (or that changed since) does not type-check.
 */
type AdminOperations = AdminQueries & AdminMutations;
export type AdminDocument = keyof {
  [Doc in keyof AdminOperations as Doc extends string ? (string extends Doc ? never : Doc) : never]: true;
};
export type AdminResult<Doc extends AdminDocument> = AdminOperations[Doc]["return"];
export type AdminVariables<Doc extends AdminDocument> = AdminOperations[Doc]["variables"];

/** What a processor needs: run an Admin GraphQL document for a shop and get its data, typed by the document. */
export type AdminQuery = <Doc extends AdminDocument>(
  shopDomain: string,
  document: Doc,
  variables?: AdminVariables<Doc>,
) => Promise<AdminResult<Doc>>;

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
  extensions?: {
    cost?: { requestedQueryCost?: number; throttleStatus?: { currentlyAvailable: number; maximumAvailable?: number; restoreRate: number } };
  };
}

/** How long until the bucket holds what the request asked for (at least a second). */
export function throttleWaitMs(body: ClientErrorBody): number {
  const cost = body.extensions?.cost;
  const status = cost?.throttleStatus;
  if (!cost?.requestedQueryCost || !status || status.restoreRate <= 0) return 2_000;
  const missing = cost.requestedQueryCost - status.currentlyAvailable;
  return Math.max(1_000, Math.ceil((missing / status.restoreRate) * 1000));
}

interface Budget {
  available: number;
  maximum: number;
  restoreRate: number;
  at: number;
}

/** The last cost bucket Shopify reported per shop (this process's view; Shopify's is the truth). */
const budgets = new Map<string, Budget>();
/** Waits up to this long in the job for the bucket to refill; longer waits delay the job instead. */
const MAX_INLINE_WAIT_MS = 2_000;
/** What a call is assumed to cost when the caller does not say (Shopify charges at least 1, mutations 10). */
const DEFAULT_COST = 10;

function recordBudget(shopDomain: string, body: ClientErrorBody): void {
  const status = body.extensions?.cost?.throttleStatus;
  if (!status) return;
  budgets.set(shopDomain, {
    available: status.currentlyAvailable,
    maximum: status.maximumAvailable ?? Infinity,
    restoreRate: status.restoreRate,
    at: Date.now(),
  });
}

/**
 * Before a call: when the shop's bucket (as last reported, refilled since at its restore rate)
 * cannot pay for it, wait briefly, or throw ShopifyThrottledError so the job waits as a delayed job.
 */
async function awaitBudget(shopDomain: string, cost: number = DEFAULT_COST): Promise<void> {
  const budget = budgets.get(shopDomain);
  if (!budget) return;
  const available = Math.min(budget.maximum, budget.available + ((Date.now() - budget.at) / 1000) * budget.restoreRate);
  if (available >= cost) return;
  const waitMs = Math.ceil(((cost - available) / budget.restoreRate) * 1000);
  if (waitMs > MAX_INLINE_WAIT_MS) throw new ShopifyThrottledError(waitMs);
  await new Promise((resolve) => setTimeout(resolve, waitMs));
}

export const adminQuery: AdminQuery = async <Doc extends AdminDocument>(
  shopDomain: string,
  document: Doc,
  variables?: AdminVariables<Doc>,
) => {
  await awaitBudget(shopDomain);
  let admin;
  try {
    ({ admin } = await unauthenticated.admin(shopDomain));
  } catch (error) {
    throw new ShopifyApiError(`no usable offline session for the shop: ${(error as Error).message}`, true);
  }
  try {
    const response = await admin.graphql(document as string, { variables: variables as Record<string, unknown> | undefined });
    const body = (await response.json()) as { data: AdminResult<Doc> } & ClientErrorBody;
    recordBudget(shopDomain, body);
    return body.data;
  } catch (error) {
    if (error instanceof GraphqlQueryError) {
      const body = error.body as ClientErrorBody;
      recordBudget(shopDomain, body);
      const errors = body.errors?.graphQLErrors ?? [];
      if (errors.some((item) => item.extensions?.code === "THROTTLED")) throw new ShopifyThrottledError(throttleWaitMs(body));
      const message = errors.map((item) => `${item.extensions?.code ?? "ERROR"}: ${item.message}`).join("; ") || error.message;
      throw new ShopifyApiError(
        message,
        errors.some((item) => PERMANENT_CODES.has(item.extensions?.code ?? "")),
      );
    }
    if (error instanceof HttpResponseError) {
      // 401/403/404: the token or the shop is gone; 5xx: Shopify is having trouble.
      throw new ShopifyApiError(`Admin API answered ${error.response.code}`, error.response.code < 500 && error.response.code !== 429);
    }
    throw error;
  }
};
