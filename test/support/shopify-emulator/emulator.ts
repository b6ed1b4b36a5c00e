import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  execute,
  GraphQLError,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from "graphql";
import { prepareBulkQuery, writeBulkResult } from "./bulk-operation";
import { actualQueryCost, LeakyBucket, requestedQueryCost } from "./cost";
import type { GeneratedStore, MarketingState, OrderRecord, StoreOptions } from "./model";
import {
  checkoutPayload,
  consentPayload,
  customerCompliancePayload,
  customerDeletePayload,
  customerPayload,
  orderPayload,
  shopPayload,
} from "./payloads";
import { mutationRoot, queryRoot, type BulkOperationView, type Effects, type EmulatorContext } from "./resolvers";
import { adminSchema } from "./schema";
import { ShopState, type NewOrder } from "./shop-state";
import { generateStore } from "./store-generator";
import { gid, type RequestContext } from "./views";
import { subscriptionsFromToml, WebhookDeliverer, type Delivery, type DeliveryOptions } from "./webhooks";

export const ADMIN_API_VERSION = "2026-10";

export interface EmulatorOptions {
  /** The app's client id and secret: webhooks are signed and session tokens checked with them. */
  apiKey: string;
  apiSecret: string;
  /** Where webhooks go (the app's base URL); can be set later with setAppUrl. */
  appUrl?: string;
  /** The leaky bucket per (app, shop); default 1000 points, restoring 100 per second. */
  bucket?: { maximumAvailable: number; restoreRate: number };
  /** "Now" for the emulated shops (default: the real clock). */
  clock?: () => Date;
  /** How long Shopify's asynchronous jobs take here (discountCodeBulkDelete, redeem-code bulk add). */
  asyncJobDelayMs?: number;
  /** Delays between webhook retries; their count is the number of retries (default 5 short ones). */
  webhookRetryDelaysMs?: number[];
  /** topic → URI; default: the subscriptions in shopify.app.toml. */
  subscriptions?: Map<string, string>;
  /** Flow trigger handles the app declares; when given, flowTriggerReceive refuses others. */
  flowTriggerHandles?: string[];
  /** Scopes granted to the app (returned by token exchange). */
  scopes?: string;
}

interface BulkOperationRecord {
  id: number;
  shop: string;
  query: string;
  status: "CREATED" | "RUNNING" | "COMPLETED" | "CANCELING" | "CANCELED" | "FAILED";
  createdAt: string;
  completedAt: string | null;
  objectCount: number;
  rootObjectCount: number;
  fileSize: number | null;
  file: string;
  urlToken: string;
  errorCode: string | null;
  /** Why a FAILED run failed (an emulator bug, not something Shopify reports). */
  failure?: string;
  done: Promise<void>;
}

/** A local stand-in for Shopify: the Admin GraphQL API, OAuth token endpoint and webhook delivery. */
export class ShopifyEmulator {
  readonly webhooks: WebhookDeliverer;
  private readonly shops = new Map<string, ShopState>();
  private readonly buckets = new Map<string, LeakyBucket>();
  private readonly bulkOperations = new Map<number, BulkOperationRecord>();
  private readonly jobs = new Map<number, boolean>();
  private readonly refreshTokens = new Map<string, string>();
  private nextBulkOperationId = 7_000_000;
  private nextJobId = 3_000_000;
  private appUrl: string | null;
  private server!: Server;
  private workDir!: string;
  origin = "";

  private constructor(private readonly options: EmulatorOptions) {
    this.appUrl = options.appUrl ?? null;
    this.webhooks = new WebhookDeliverer(
      { appUrl: () => this.appUrl, apiSecret: options.apiSecret, subscriptions: options.subscriptions ?? subscriptionsFromToml() },
      options.webhookRetryDelaysMs ?? [50, 100, 200, 400, 800],
    );
  }

  static async start(options: EmulatorOptions, port = 0): Promise<ShopifyEmulator> {
    const emulator = new ShopifyEmulator(options);
    emulator.workDir = await mkdtemp(path.join(tmpdir(), "shopify-emulator-"));
    emulator.server = createServer((request, response) => {
      emulator.handle(request, response).catch((error: Error) => {
        if (!response.headersSent) response.writeHead(500, { "content-type": "application/json" });
        response.end(JSON.stringify({ errors: `emulator failure: ${error.message}` }));
      });
    });
    await new Promise<void>((resolve) => emulator.server.listen(port, "127.0.0.1", resolve));
    const address = emulator.server.address();
    emulator.origin = `http://127.0.0.1:${typeof address === "object" && address ? address.port : port}`;
    return emulator;
  }

  async close(): Promise<void> {
    await this.webhooks.idle();
    await Promise.allSettled([...this.bulkOperations.values()].map((operation) => operation.done));
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await rm(this.workDir, { recursive: true, force: true });
  }

  setAppUrl(url: string): void {
    this.appUrl = url;
  }

  now(): Date {
    return this.options.clock?.() ?? new Date();
  }

  // ── shops and tokens ──────────────────────────────────────────────────────────────────────────

  /** Adds a shop holding a generated store (or the given one); returns its state. */
  addShop(store: GeneratedStore | StoreOptions): ShopState {
    const generated = "history" in store ? store : generateStore(store);
    const state = new ShopState(generated, () => this.now());
    this.shops.set(state.domain, state);
    return state;
  }

  shop(domain: string): ShopState {
    const state = this.shops.get(domain);
    if (!state) throw new Error(`the emulator holds no shop ${domain}`);
    return state;
  }

  /** An offline access token for the app on this shop (what token exchange would give it). */
  issueAccessToken(domain: string): string {
    const state = this.shop(domain);
    const token = `shpat_${randomBytes(16).toString("hex")}`;
    state.accessTokens.add(token);
    state.installed = true;
    return token;
  }

  private bucket(domain: string): LeakyBucket {
    let bucket = this.buckets.get(domain);
    if (!bucket) {
      const { maximumAvailable, restoreRate } = this.options.bucket ?? { maximumAvailable: 1000, restoreRate: 100 };
      bucket = new LeakyBucket(maximumAvailable, restoreRate, () => this.now().getTime());
      this.buckets.set(domain, bucket);
    }
    return bucket;
  }

  // ── HTTP ──────────────────────────────────────────────────────────────────────────────────────

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://emulator");
    const shopDomain = String(request.headers["x-forwarded-host"] ?? request.headers.host ?? "").split(":")[0]!.toLowerCase();
    if (request.method === "GET" && url.pathname.startsWith("/bulk-results/")) return this.serveBulkResult(url, response);
    if (request.method === "POST" && url.pathname === `/admin/api/${ADMIN_API_VERSION}/graphql.json`) {
      const body = await readBody(request);
      const result = await this.graphql(shopDomain, String(request.headers["x-shopify-access-token"] ?? ""), body);
      return send(response, result.status, result.body);
    }
    if (request.method === "POST" && url.pathname === "/admin/oauth/access_token") {
      const result = this.accessToken(shopDomain, await readBody(request));
      return send(response, result.status, result.body);
    }
    if (request.method === "POST" && url.pathname.startsWith("/emulator/")) {
      return this.control(url.pathname.slice("/emulator/".length), await readBody(request), response);
    }
    send(response, 404, { errors: "Not Found" });
  }

  /**
   * POST /emulator/<action> with a JSON array of arguments: the actions below, for a person or a
   * process driving the emulator from outside (e.g. `curl -d '["shop.myshopify.com", 123]'
   * …/emulator/redactCustomer`). Not part of Shopify; only served on the emulator's own origin.
   */
  private control(action: string, rawBody: string, response: ServerResponse): void {
    const actions: Record<string, (...args: never[]) => unknown> = {
      issueAccessToken: this.issueAccessToken,
      placeOrder: this.placeOrder,
      cancelOrder: this.cancelOrder,
      refundOrder: this.refundOrder,
      createCustomer: this.createCustomer,
      updateCustomer: this.updateCustomer,
      setMarketingConsent: this.setMarketingConsent,
      deleteCustomer: this.deleteCustomer,
      startCheckout: this.startCheckout,
      uninstall: this.uninstall,
      requestCustomerData: this.requestCustomerData,
      redactCustomer: this.redactCustomer,
      redactShop: this.redactShop,
    };
    const run = actions[action];
    if (!run) return send(response, 404, { error: `unknown action ${action}; known: ${Object.keys(actions).join(", ")}` });
    try {
      const args = (rawBody ? JSON.parse(rawBody) : []) as never[];
      const result = run.apply(this, args) as Record<string, unknown> | string;
      send(response, 200, typeof result === "string" ? { result } : JSON.parse(JSON.stringify(result, (key, value) => (key === "settled" ? undefined : value))));
    } catch (error) {
      send(response, 422, { error: (error as Error).message });
    }
  }

  private serveBulkResult(url: URL, response: ServerResponse): void {
    const match = /^\/bulk-results\/(\d+)-([0-9a-f]+)\.jsonl$/.exec(url.pathname);
    const operation = match ? this.bulkOperations.get(Number(match[1])) : undefined;
    if (!operation || operation.urlToken !== match![2] || operation.status !== "COMPLETED") return send(response, 404, { errors: "Not Found" });
    response.writeHead(200, { "content-type": "application/jsonl" });
    createReadStream(operation.file).pipe(response);
  }

  /** One Admin API request, answered as Shopify answers it (status and JSON body). */
  async graphql(domain: string, accessToken: string, rawBody: string): Promise<{ status: number; body: unknown }> {
    const state = this.shops.get(domain);
    if (!state) return { status: 404, body: { errors: "Not Found" } };
    if (!state.installed || !state.accessTokens.has(accessToken)) {
      return { status: 401, body: { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" } };
    }
    let request: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      request = JSON.parse(rawBody) as typeof request;
    } catch {
      return { status: 400, body: { errors: { query: ["Required parameter missing or invalid"] } } };
    }
    if (typeof request.query !== "string" || !request.query.trim()) {
      return { status: 400, body: { errors: { query: ["Required parameter missing or invalid"] } } };
    }
    const schema = adminSchema();
    let document: DocumentNode;
    try {
      document = parse(request.query);
    } catch (error) {
      return { status: 200, body: { errors: [shopifyError(error as GraphQLError)] } };
    }
    const validationErrors = validate(schema, document);
    if (validationErrors.length) return { status: 200, body: { errors: validationErrors.map(shopifyError) } };

    const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
    const operation = request.operationName ? operations.find((candidate) => candidate.name?.value === request.operationName) : operations[0];
    if (!operation) return { status: 200, body: { errors: [{ message: `No operation named "${String(request.operationName)}"` }] } };
    const fragments = new Map(
      document.definitions.filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION).map((fragment) => [fragment.name.value, fragment]),
    );
    const variables = (request.variables ?? {}) as Record<string, unknown>;

    const bucket = this.bucket(domain);
    const requested = requestedQueryCost(schema, operation, fragments, variables);
    if (requested > bucket.maximumAvailable) {
      return {
        status: 200,
        body: {
          errors: [
            {
              message: `Query cost is ${requested}, which exceeds the single query max cost limit (${bucket.maximumAvailable}).`,
              extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost: bucket.maximumAvailable, documentation: "https://shopify.dev/api/usage/limits#rate-limits" },
            },
          ],
        },
      };
    }
    if (!bucket.take(requested)) {
      return {
        status: 200,
        body: {
          errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/limits#rate-limits" } }],
          extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: bucket.status() } },
        },
      };
    }

    const context: EmulatorContext = { state, searchWarnings: [], effects: this.effects(domain) };
    const result = await execute({
      schema,
      document,
      operationName: operation.name?.value,
      variableValues: variables,
      contextValue: context,
      rootValue: operation.operation === "mutation" ? mutationRoot : queryRoot,
      fieldResolver: rootAwareResolver,
    });
    const actual = actualQueryCost(schema, operation, fragments, variables, (result.data ?? null) as Record<string, unknown> | null);
    bucket.giveBack(Math.max(0, requested - actual));
    const body: Record<string, unknown> = {};
    if (result.errors?.length) body.errors = result.errors.map(shopifyError);
    if (result.data !== undefined) body.data = result.data;
    body.extensions = {
      cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: bucket.status() },
      ...(context.searchWarnings.length
        ? {
            search: context.searchWarnings.map((warning) => ({
              path: [warning.path],
              query: null,
              warnings: [{ field: warning.field, message: "Invalid search field for this query." }],
            })),
          }
        : {}),
    };
    return { status: 200, body };
  }

  /** POST /admin/oauth/access_token: token exchange (from a session token) and refresh. */
  private accessToken(domain: string, rawBody: string): { status: number; body: unknown } {
    const state = this.shops.get(domain);
    let body: Record<string, string>;
    try {
      body = JSON.parse(rawBody) as Record<string, string>;
    } catch {
      return { status: 400, body: { error: "invalid_request" } };
    }
    if (!state || !state.installed) return { status: 400, body: { error: "invalid_request", error_description: "Shop not found" } };
    if (body.client_id !== this.options.apiKey || body.client_secret !== this.options.apiSecret) {
      return { status: 401, body: { error: "invalid_client" } };
    }
    const scope = this.options.scopes ?? "";
    const issue = (expiring: boolean) => {
      const accessToken = this.issueAccessToken(domain);
      if (!expiring) return { access_token: accessToken, scope };
      const refreshToken = `shprt_${randomBytes(16).toString("hex")}`;
      this.refreshTokens.set(refreshToken, domain);
      return { access_token: accessToken, scope, expires_in: 3600, refresh_token: refreshToken, refresh_token_expires_in: 7_776_000 };
    };
    if (body.grant_type === "urn:ietf:params:oauth:grant-type:token-exchange") {
      if (!verifySessionToken(body.subject_token ?? "", this.options.apiKey, this.options.apiSecret, domain)) {
        return { status: 400, body: { error: "invalid_subject_token" } };
      }
      return { status: 200, body: issue(body.expiring === "1") };
    }
    if (body.grant_type === "refresh_token") {
      if (this.refreshTokens.get(body.refresh_token ?? "") !== domain) return { status: 400, body: { error: "invalid_grant" } };
      this.refreshTokens.delete(body.refresh_token!); // Shopify rotates refresh tokens
      return { status: 200, body: issue(true) };
    }
    return { status: 400, body: { error: "unsupported_grant_type" } };
  }

  // ── effects the resolvers need ────────────────────────────────────────────────────────────────

  private effects(domain: string): Effects {
    return {
      consentChanged: (context, customer) => {
        this.webhooks.deliver(domain, "customers_email_marketing_consent/update", consentPayload(context.state, customer));
      },
      runBulkQuery: (context, query) => this.runBulkQuery(context, domain, query),
      cancelBulkOperation: (_context, id) => {
        const operation = this.bulkOperations.get(id);
        if (!operation || operation.shop !== domain) return null;
        if (operation.status === "CREATED" || operation.status === "RUNNING") operation.status = "CANCELING";
        return this.bulkOperationView(operation);
      },
      bulkOperation: (_context, id) => {
        const operation = this.bulkOperations.get(id);
        return operation && operation.shop === domain ? this.bulkOperationView(operation) : null;
      },
      currentBulkOperation: () => {
        const latest = [...this.bulkOperations.values()].filter((operation) => operation.shop === domain).at(-1);
        return latest ? this.bulkOperationView(latest) : null;
      },
      startJob: (work) => {
        const id = this.nextJobId++;
        this.jobs.set(id, false);
        setTimeout(() => {
          work();
          this.jobs.set(id, true);
        }, this.options.asyncJobDelayMs ?? 20);
        return id;
      },
      jobDone: (id) => this.jobs.get(id),
      flowTriggerHandles: this.options.flowTriggerHandles ?? null,
    };
  }

  private runBulkQuery(context: RequestContext, domain: string, query: string) {
    const running = [...this.bulkOperations.values()].find(
      (operation) => operation.shop === domain && ["CREATED", "RUNNING", "CANCELING"].includes(operation.status),
    );
    if (running) {
      return {
        bulkOperation: null,
        userErrors: [{ field: null, message: `A bulk query operation for this app and shop is already in progress: ${gid("BulkOperation", running.id)}.`, code: "OPERATION_IN_PROGRESS" }],
      };
    }
    const prepared = prepareBulkQuery(query);
    if ("problems" in prepared) {
      return { bulkOperation: null, userErrors: [{ field: ["query"], message: `Invalid bulk query: ${prepared.problems.join(" ")}`, code: "INVALID" }] };
    }
    const id = this.nextBulkOperationId++;
    const operation: BulkOperationRecord = {
      id,
      shop: domain,
      query,
      status: "CREATED",
      createdAt: this.now().toISOString(),
      completedAt: null,
      objectCount: 0,
      rootObjectCount: 0,
      fileSize: null,
      file: path.join(this.workDir, `bulk-${id}.jsonl`),
      urlToken: randomBytes(12).toString("hex"),
      errorCode: null,
      done: Promise.resolve(),
    };
    this.bulkOperations.set(id, operation);
    operation.done = (async () => {
      await new Promise((resolve) => setImmediate(resolve));
      if (operation.status === "CANCELING") {
        operation.status = "CANCELED";
        return;
      }
      operation.status = "RUNNING";
      try {
        const canceling = () => operation.status === "CANCELING";
        const result = await writeBulkResult({ ...context, searchWarnings: [] }, prepared, operation.file, canceling);
        Object.assign(operation, result);
        operation.status = canceling() ? "CANCELED" : "COMPLETED";
      } catch (error) {
        operation.failure = error instanceof Error ? error.stack ?? error.message : String(error);
        operation.status = "FAILED";
        operation.errorCode = "INTERNAL_SERVER_ERROR";
      }
      operation.completedAt = this.now().toISOString();
    })();
    return { bulkOperation: this.bulkOperationView(operation), userErrors: [] };
  }

  private bulkOperationView(operation: BulkOperationRecord): BulkOperationView {
    const completed = operation.status === "COMPLETED";
    return {
      __typename: "BulkOperation",
      id: gid("BulkOperation", operation.id),
      status: operation.status,
      type: "QUERY",
      query: operation.query,
      createdAt: operation.createdAt,
      completedAt: operation.completedAt,
      errorCode: operation.errorCode,
      objectCount: String(operation.objectCount),
      rootObjectCount: String(operation.rootObjectCount),
      fileSize: operation.fileSize === null ? null : String(operation.fileSize),
      url: completed && operation.objectCount > 0 ? `${this.origin}/bulk-results/${operation.id}-${operation.urlToken}.jsonl` : null,
      partialDataUrl: null,
    };
  }

  /** Resolves when the shop's bulk operations have finished (for tests). */
  async bulkOperationsSettled(): Promise<void> {
    await Promise.allSettled([...this.bulkOperations.values()].map((operation) => operation.done));
  }

  // ── actions: what happens in the store, each delivering the webhooks Shopify would ────────────

  placeOrder(domain: string, input: NewOrder, delivery?: DeliveryOptions): { order: OrderRecord; webhook: Delivery | null } {
    const state = this.shop(domain);
    const order = state.placeOrder(input);
    return { order, webhook: this.webhooks.deliver(domain, "orders/create", orderPayload(state, order), delivery) };
  }

  cancelOrder(domain: string, orderId: number, delivery?: DeliveryOptions) {
    const state = this.shop(domain);
    const order = state.cancelOrder(orderId);
    const payload = orderPayload(state, order);
    return {
      order,
      webhooks: [this.webhooks.deliver(domain, "orders/cancelled", payload, delivery), this.webhooks.deliver(domain, "orders/updated", payload, delivery)],
    };
  }

  refundOrder(domain: string, orderId: number, amount: string, delivery?: DeliveryOptions) {
    const state = this.shop(domain);
    const order = state.refundOrder(orderId, amount);
    return { order, webhook: this.webhooks.deliver(domain, "orders/updated", orderPayload(state, order), delivery) };
  }

  createCustomer(domain: string, fields: Parameters<ShopState["createCustomer"]>[0], delivery?: DeliveryOptions) {
    const state = this.shop(domain);
    const customer = state.createCustomer(fields);
    return { customer, webhook: this.webhooks.deliver(domain, "customers/create", customerPayload(state, customer), delivery) };
  }

  updateCustomer(domain: string, customerId: number, patch: Parameters<ShopState["updateCustomer"]>[1], delivery?: DeliveryOptions) {
    const state = this.shop(domain);
    const customer = state.updateCustomer(customerId, patch);
    return { customer, webhook: this.webhooks.deliver(domain, "customers/update", customerPayload(state, customer), delivery) };
  }

  /** The customer changes their e-mail consent (e.g. unsubscribes in the store). */
  setMarketingConsent(domain: string, customerId: number, marketingState: MarketingState, delivery?: DeliveryOptions) {
    const state = this.shop(domain);
    const level = marketingState === "SUBSCRIBED" ? "SINGLE_OPT_IN" : null;
    const customer = state.setMarketingConsent(customerId, marketingState, level, this.now());
    return { customer, webhook: this.webhooks.deliver(domain, "customers_email_marketing_consent/update", consentPayload(state, customer), delivery) };
  }

  deleteCustomer(domain: string, customerId: number, delivery?: DeliveryOptions) {
    this.shop(domain).deleteCustomer(customerId);
    return { webhook: this.webhooks.deliver(domain, "customers/delete", customerDeletePayload(customerId), delivery) };
  }

  startCheckout(domain: string, customerId: number, delivery?: DeliveryOptions) {
    const state = this.shop(domain);
    const checkout = state.startCheckout(customerId);
    return { checkout, webhook: this.webhooks.deliver(domain, "checkouts/create", checkoutPayload(state, checkout), delivery) };
  }

  /** The merchant uninstalls the app: its tokens stop working, app/uninstalled is delivered. */
  uninstall(domain: string, delivery?: DeliveryOptions) {
    const state = this.shop(domain);
    state.installed = false;
    state.accessTokens.clear();
    return { webhook: this.webhooks.deliver(domain, "app/uninstalled", shopPayload(state), delivery) };
  }

  requestCustomerData(domain: string, customerId: number, delivery?: DeliveryOptions) {
    const state = this.shop(domain);
    const customer = state.customer(customerId);
    if (!customer) throw new Error(`no customer ${customerId} in ${domain}`);
    const payload = {
      ...customerCompliancePayload(state, customer),
      orders_requested: state.ordersOf(customerId).map((order) => order.id),
      data_request: { id: Number(randomBytes(4).readUInt32BE()) },
    };
    return { webhook: this.webhooks.deliver(domain, "customers/data_request", payload, delivery) };
  }

  redactCustomer(domain: string, customerId: number, delivery?: DeliveryOptions) {
    const state = this.shop(domain);
    const customer = state.customer(customerId);
    if (!customer) throw new Error(`no customer ${customerId} in ${domain}`);
    const payload = { ...customerCompliancePayload(state, customer), orders_to_redact: state.ordersOf(customerId).map((order) => order.id) };
    return { webhook: this.webhooks.deliver(domain, "customers/redact", payload, delivery) };
  }

  redactShop(domain: string, delivery?: DeliveryOptions) {
    const state = this.shop(domain);
    return { webhook: this.webhooks.deliver(domain, "shop/redact", { shop_id: state.store.shop.id, shop_domain: domain }, delivery) };
  }
}

// ── helpers ─────────────────────────────────────────────────────────────────────────────────────

/** Root fields come from the root objects; a root field they lack is named in the error. */
function rootAwareResolver(source: unknown, args: Record<string, unknown>, context: EmulatorContext, info: { fieldName: string; parentType: { name: string } }) {
  const value = (source as Record<string, unknown> | null)?.[info.fieldName];
  if (source === queryRoot || source === mutationRoot) {
    if (typeof value !== "function") {
      throw new GraphQLError(`The local Shopify emulator does not implement ${info.parentType.name}.${info.fieldName}.`, {
        extensions: { code: "EMULATOR_UNSUPPORTED" },
      });
    }
    return (value as (a: typeof args, c: EmulatorContext) => unknown)(args, context);
  }
  return typeof value === "function" ? (value as (a: typeof args, c: EmulatorContext) => unknown)(args, context) : value;
}

/**
 * Errors in Shopify's shape. Shopify's GraphQL server (graphql-ruby) words validation errors
 * differently from graphql-js; the common ones are rewritten, the rest keep graphql-js wording.
 */
export function shopifyError(error: GraphQLError): Record<string, unknown> {
  const base: Record<string, unknown> = { message: error.message };
  if (error.locations) base.locations = error.locations;
  if (error.path) base.path = error.path;
  const rewrite = (message: string, extensions: Record<string, unknown>) => ({ ...base, message, extensions });
  let match: RegExpExecArray | null;
  if ((match = /^Cannot query field "(\w+)" on type "(\w+)"/.exec(error.message))) {
    return rewrite(`Field '${match[1]}' doesn't exist on type '${match[2]}'`, { code: "undefinedField", typeName: match[2], fieldName: match[1] });
  }
  if ((match = /^Unknown argument "(\w+)" on field "\w+\.(\w+)"/.exec(error.message))) {
    return rewrite(`Field '${match[2]}' doesn't accept argument '${match[1]}'`, { code: "argumentNotAccepted", name: match[2], typeName: "Field", argumentName: match[1] });
  }
  if ((match = /^Field "(?:\w+\.)?(\w+)" argument "(\w+)" of type ".+" is required, but it was not provided/.exec(error.message))) {
    return rewrite(`Field '${match[1]}' is missing required arguments: ${match[2]}`, { code: "missingRequiredArguments", className: "Field", name: match[1], arguments: match[2] });
  }
  if ((match = /^Variable "\$(\w+)" of required type "(.+)" was not provided/.exec(error.message))) {
    return rewrite(`Variable $${match[1]} of type ${match[2]} was provided invalid value`, { value: null, problems: [{ path: [], explanation: "Expected value to not be null" }] });
  }
  if ((match = /^Variable "\$(\w+)" got invalid value (.+?); (.*)$/s.exec(error.message))) {
    return rewrite(`Variable $${match[1]} of type ${variableType(error)} was provided invalid value`, { value: match[2], problems: [{ path: [], explanation: match[3] }] });
  }
  if (error.message.startsWith("Syntax Error")) {
    return rewrite(error.message.replace(/^Syntax Error: /, "syntax error, "), { code: "parseError" });
  }
  return { ...base, extensions: error.extensions && Object.keys(error.extensions).length ? error.extensions : { code: "GRAPHQL_VALIDATION_FAILED" } };
}

function variableType(error: GraphQLError): string {
  const node = error.nodes?.[0];
  return node && node.kind === Kind.VARIABLE_DEFINITION && node.type.loc ? node.type.loc.source.body.slice(node.type.loc.start, node.type.loc.end) : "?";
}

/** App Bridge's session token: HS256 with the app secret, for this app (aud) and this shop (dest). */
function verifySessionToken(token: string, apiKey: string, apiSecret: string, domain: string): boolean {
  const [header, payload, signature] = token.split(".");
  if (!header || !payload || !signature) return false;
  const expected = createHmac("sha256", apiSecret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { aud?: string; dest?: string; exp?: number };
  return claims.aud === apiKey && claims.dest === `https://${domain}` && (claims.exp ?? 0) * 1000 > Date.now();
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}
