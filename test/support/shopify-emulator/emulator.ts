import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  execute,
  getNamedType,
  getVariableValues,
  GraphQLError,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLResolveInfo,
  type OperationDefinitionNode,
} from "graphql";
import { accessDenied, hasScope, requiredScopeForType, scopesOf, type AccessScopes } from "./access";
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
import { ShopState, type NewOrder, type TokenGrant } from "./shop-state";
import { generateStore } from "./store-generator";
import { gid, type RequestContext } from "./views";
import { appConfigFromToml, WebhookDeliverer, type Delivery, type DeliveryOptions } from "./webhooks";

export const ADMIN_API_VERSION = "2026-10";
/** Shopify refuses any single query above this cost, whatever the bucket size. */
export const SINGLE_QUERY_MAX_COST = 1000;
/** Topics Shopify still delivers after an uninstall. */
const AFTER_UNINSTALL_TOPICS = new Set(["app/uninstalled", "customers/data_request", "customers/redact", "shop/redact"]);
const EXPIRING_TOKEN_SECONDS = 3600;
const REFRESH_TOKEN_SECONDS = 90 * 24 * 3600;

export interface EmulatorOptions {
  /** The app's client id and secret: webhooks are signed and session tokens checked with them. */
  apiKey: string;
  apiSecret: string;
  /** Where webhooks go (the app's base URL); can be set later with setAppUrl. */
  appUrl?: string;
  /** The leaky bucket per (app, shop); default 1000 points, restoring 100 per second. */
  bucket?: { maximumAvailable: number; restoreRate: number };
  /** The bucket's clock in ms (default Date.now); separate from `clock` so a frozen store clock still refills. */
  bucketClock?: () => number;
  /** "Now" for the emulated shops: timestamps, discount periods, token expiry (default: the real clock). */
  clock?: () => Date;
  /** How long Shopify's asynchronous jobs take here (discountCodeBulkDelete, redeem-code bulk add). */
  asyncJobDelayMs?: number;
  /** Delays between webhook retries; their count is the number of retries (default 5 short ones). */
  webhookRetryDelaysMs?: number[];
  /** The app configuration to follow (scopes, webhook subscriptions, API version); default shopify.app.toml. */
  appConfig?: string;
  /** Flow trigger handles the app declares; when given, flowTriggerReceive refuses others. */
  flowTriggerHandles?: string[];
  /** Scopes granted to the app; default: those requested in the app configuration. */
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
  /** Why a FAILED run failed (an emulator limitation or bug, not something Shopify reports). */
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
  private readonly jobTimers = new Set<NodeJS.Timeout>();
  private readonly refreshTokens = new Map<string, { domain: string; expiresAt: number }>();
  private readonly grantedScopes: string;
  private nextBulkOperationId = 7_000_000;
  private nextJobId = 3_000_000;
  private appUrl: string | null;
  private server!: Server;
  private workDir!: string;
  origin = "";

  private constructor(private readonly options: EmulatorOptions) {
    this.appUrl = options.appUrl ?? null;
    const config = appConfigFromToml(options.appConfig);
    this.grantedScopes = options.scopes ?? config.scopes;
    this.webhooks = new WebhookDeliverer(
      {
        appUrl: () => this.appUrl,
        apiSecret: options.apiSecret,
        subscriptions: config.subscriptions,
        apiVersion: config.apiVersion,
        now: () => this.now(),
      },
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
    for (const timer of this.jobTimers) clearTimeout(timer);
    await this.webhooks.idle();
    for (const operation of this.bulkOperations.values()) if (operation.status === "RUNNING") operation.status = "CANCELING";
    await Promise.allSettled([...this.bulkOperations.values()].map((operation) => operation.done));
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
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

  /** An offline access token for the app on this shop (what an install gives it); the app's scopes unless told otherwise. */
  issueAccessToken(domain: string, grant: { scopes?: string; expiresInSeconds?: number } = {}): string {
    const state = this.shop(domain);
    const token = `shpat_${randomBytes(16).toString("hex")}`;
    const expiresAt = grant.expiresInSeconds ? this.now().getTime() + grant.expiresInSeconds * 1000 : null;
    state.accessTokens.set(token, { scopes: scopesOf(grant.scopes ?? this.grantedScopes), expiresAt });
    state.installed = true;
    return token;
  }

  private liveGrant(state: ShopState, token: string): TokenGrant | undefined {
    const grant = state.accessTokens.get(token);
    if (!grant || !state.installed) return undefined;
    if (grant.expiresAt !== null && grant.expiresAt <= this.now().getTime()) return undefined;
    return grant;
  }

  private bucket(domain: string): LeakyBucket {
    let bucket = this.buckets.get(domain);
    if (!bucket) {
      const { maximumAvailable, restoreRate } = this.options.bucket ?? { maximumAvailable: 1000, restoreRate: 100 };
      bucket = new LeakyBucket(maximumAvailable, restoreRate, this.options.bucketClock);
      this.buckets.set(domain, bucket);
    }
    return bucket;
  }

  // ── HTTP ──────────────────────────────────────────────────────────────────────────────────────

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://emulator");
    const shopDomain = String(request.headers["x-forwarded-host"] ?? request.headers.host ?? "")
      .split(":")[0]!
      .toLowerCase();
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
      send(
        response,
        200,
        typeof result === "string"
          ? { result }
          : JSON.parse(JSON.stringify(result, (key, value) => (key === "settled" ? undefined : value))),
      );
    } catch (error) {
      send(response, 422, { error: (error as Error).message });
    }
  }

  private serveBulkResult(url: URL, response: ServerResponse): void {
    const match = /^\/bulk-results\/(\d+)-([0-9a-f]+)\.jsonl$/.exec(url.pathname);
    const operation = match ? this.bulkOperations.get(Number(match[1])) : undefined;
    if (!operation || operation.urlToken !== match![2] || operation.status !== "COMPLETED")
      return send(response, 404, { errors: "Not Found" });
    response.writeHead(200, { "content-type": "application/jsonl" });
    createReadStream(operation.file).pipe(response);
  }

  /** One Admin API request, answered as Shopify answers it (status and JSON body). */
  async graphql(domain: string, accessToken: string, rawBody: string): Promise<{ status: number; body: unknown }> {
    const state = this.shops.get(domain);
    if (!state) return { status: 404, body: { errors: "Not Found" } };
    const grant = this.liveGrant(state, accessToken);
    if (!grant) return { status: 401, body: { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" } };
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

    const operations = document.definitions.filter(
      (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
    );
    const operation = request.operationName
      ? operations.find((candidate) => candidate.name?.value === request.operationName)
      : operations[0];
    if (!operation) return { status: 200, body: { errors: [{ message: `No operation named "${String(request.operationName)}"` }] } };
    const fragments = new Map(
      document.definitions
        .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
        .map((fragment) => [fragment.name.value, fragment]),
    );
    const rawVariables = (request.variables ?? {}) as Record<string, unknown>;
    // Cost is computed on the coerced variables (defaults included), as Shopify does.
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables);
    if (coerced.errors) return { status: 200, body: { errors: coerced.errors.map(shopifyError) } };
    const variables = coerced.coerced;

    const bucket = this.bucket(domain);
    const requested = requestedQueryCost(schema, operation, fragments, variables);
    if (requested > SINGLE_QUERY_MAX_COST) {
      return {
        status: 200,
        body: {
          errors: [
            {
              message: `Query cost is ${requested}, which exceeds the single query max cost limit (${SINGLE_QUERY_MAX_COST}).`,
              extensions: {
                code: "MAX_COST_EXCEEDED",
                cost: requested,
                maxCost: SINGLE_QUERY_MAX_COST,
                documentation: "https://shopify.dev/api/usage/limits#rate-limits",
              },
            },
          ],
        },
      };
    }
    if (!bucket.take(requested)) {
      return {
        status: 200,
        body: {
          errors: [
            { message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/limits#rate-limits" } },
          ],
          extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: bucket.status() } },
        },
      };
    }

    const context: EmulatorContext = {
      state,
      scopes: grant.scopes,
      oldestVisibleOrder: orderWindow(grant.scopes, this.now()),
      searchWarnings: [],
      effects: this.effects(domain),
    };
    const result = await execute({
      schema,
      document,
      operationName: operation.name?.value,
      variableValues: rawVariables,
      contextValue: context,
      rootValue: operation.operation === "mutation" ? mutationRoot : queryRoot,
      fieldResolver: emulatorResolver,
    });
    const actual = actualQueryCost(schema, operation, fragments, variables, (result.data ?? null) as Record<string, unknown> | null);
    bucket.settle(requested, actual);
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

  /**
   * POST /admin/oauth/access_token: token exchange (an App Bridge session token, or an offline
   * token being migrated to an expiring one) and refresh. Only offline tokens are issued.
   */
  private accessToken(domain: string, rawBody: string): { status: number; body: unknown } {
    const state = this.shops.get(domain);
    let body: Record<string, string>;
    try {
      body = JSON.parse(rawBody) as Record<string, string>;
    } catch {
      return { status: 400, body: { error: "invalid_request" } };
    }
    if (!state || !state.installed) return { status: 400, body: { error: "invalid_request", error_description: "Shop not found" } };
    if (body.client_id !== this.options.apiKey || body.client_secret !== this.options.apiSecret)
      return { status: 401, body: { error: "invalid_client" } };
    const now = this.now().getTime();
    const issue = (expiring: boolean) => {
      const accessToken = this.issueAccessToken(domain, { expiresInSeconds: expiring ? EXPIRING_TOKEN_SECONDS : undefined });
      if (!expiring) return { access_token: accessToken, scope: this.grantedScopes };
      const refreshToken = `shprt_${randomBytes(16).toString("hex")}`;
      this.refreshTokens.set(refreshToken, { domain, expiresAt: now + REFRESH_TOKEN_SECONDS * 1000 });
      return {
        access_token: accessToken,
        scope: this.grantedScopes,
        expires_in: EXPIRING_TOKEN_SECONDS,
        refresh_token: refreshToken,
        refresh_token_expires_in: REFRESH_TOKEN_SECONDS,
      };
    };
    if (body.grant_type === "urn:ietf:params:oauth:grant-type:token-exchange") {
      if (body.requested_token_type !== "urn:shopify:params:oauth:token-type:offline-access-token") {
        return {
          status: 400,
          body: { error: "invalid_request", error_description: "The local Shopify emulator issues offline access tokens only." },
        };
      }
      if (body.subject_token_type === "urn:ietf:params:oauth:token-type:id_token") {
        if (!verifySessionToken(body.subject_token ?? "", this.options.apiKey, this.options.apiSecret, domain, now))
          return { status: 400, body: { error: "invalid_subject_token" } };
        return { status: 200, body: issue(body.expiring === "1") };
      }
      if (body.subject_token_type === "urn:shopify:params:oauth:token-type:offline-access-token") {
        if (!this.liveGrant(state, body.subject_token ?? "")) return { status: 400, body: { error: "invalid_subject_token" } };
        state.accessTokens.delete(body.subject_token!); // migrated to an expiring token
        return { status: 200, body: issue(true) };
      }
      return { status: 400, body: { error: "invalid_request", error_description: "unsupported subject_token_type" } };
    }
    if (body.grant_type === "refresh_token") {
      const refresh = this.refreshTokens.get(body.refresh_token ?? "");
      if (!refresh || refresh.domain !== domain || refresh.expiresAt <= now) return { status: 400, body: { error: "invalid_grant" } };
      this.refreshTokens.delete(body.refresh_token!); // Shopify rotates refresh tokens
      return { status: 200, body: issue(true) };
    }
    return { status: 400, body: { error: "unsupported_grant_type" } };
  }

  // ── effects the resolvers need ────────────────────────────────────────────────────────────────

  private effects(domain: string): Effects {
    return {
      consentChanged: (context, customer) => {
        this.deliver(domain, "customers_email_marketing_consent/update", consentPayload(context.state, customer));
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
        const timer = setTimeout(() => {
          this.jobTimers.delete(timer);
          work();
          this.jobs.set(id, true);
        }, this.options.asyncJobDelayMs ?? 20);
        this.jobTimers.add(timer);
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
        userErrors: [
          {
            field: null,
            message: `A bulk query operation for this app and shop is already in progress: ${gid("BulkOperation", running.id)}.`,
            code: "OPERATION_IN_PROGRESS",
          },
        ],
      };
    }
    const prepared = prepareBulkQuery(query);
    if ("problems" in prepared) {
      return {
        bulkOperation: null,
        userErrors: [{ field: ["query"], message: `Invalid bulk query: ${prepared.problems.join(" ")}`, code: "INVALID" }],
      };
    }
    const required = requiredScopeForType(getNamedType(prepared.rootType.getFields().nodes!.type).name);
    if (required && !hasScope(context.scopes, required)) {
      return {
        bulkOperation: null,
        userErrors: [{ field: ["query"], message: accessDenied(prepared.rootField.name.value, required).message, code: "INVALID" }],
      };
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
      const canceling = () => operation.status === "CANCELING";
      if (canceling()) {
        operation.status = "CANCELED";
        return;
      }
      operation.status = "RUNNING";
      try {
        const result = await writeBulkResult({ ...context, searchWarnings: [] }, prepared, operation.file, canceling);
        Object.assign(operation, result);
        operation.status = canceling() ? "CANCELED" : "COMPLETED";
      } catch (error) {
        operation.failure = error instanceof Error ? error.message : String(error);
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

  /** Resolves when the bulk operations started so far have finished; returns why any failed. */
  async bulkOperationsSettled(): Promise<string[]> {
    await Promise.allSettled([...this.bulkOperations.values()].map((operation) => operation.done));
    return [...this.bulkOperations.values()].flatMap((operation) => (operation.failure ? [operation.failure] : []));
  }

  // ── actions: what happens in the store, each delivering the webhooks Shopify would ────────────

  /** Delivers unless the app is uninstalled from the shop (then only the compliance topics go out). */
  private deliver(domain: string, topic: string, payload: unknown, options?: DeliveryOptions): Delivery | null {
    if (!this.shop(domain).installed && !AFTER_UNINSTALL_TOPICS.has(topic)) return null;
    return this.webhooks.deliver(domain, topic, payload, options);
  }

  placeOrder(domain: string, input: NewOrder, delivery?: DeliveryOptions): { order: OrderRecord; webhook: Delivery | null } {
    const state = this.shop(domain);
    const order = state.placeOrder(input);
    return { order, webhook: this.deliver(domain, "orders/create", orderPayload(state, order), delivery) };
  }

  cancelOrder(domain: string, orderId: number, delivery?: DeliveryOptions) {
    const state = this.shop(domain);
    const order = state.cancelOrder(orderId);
    const payload = orderPayload(state, order);
    return {
      order,
      webhooks: [this.deliver(domain, "orders/cancelled", payload, delivery), this.deliver(domain, "orders/updated", payload, delivery)],
    };
  }

  refundOrder(domain: string, orderId: number, amount: string, delivery?: DeliveryOptions) {
    const state = this.shop(domain);
    const order = state.refundOrder(orderId, amount);
    return { order, webhook: this.deliver(domain, "orders/updated", orderPayload(state, order), delivery) };
  }

  createCustomer(domain: string, fields: Parameters<ShopState["createCustomer"]>[0], delivery?: DeliveryOptions) {
    const state = this.shop(domain);
    const customer = state.createCustomer(fields);
    return { customer, webhook: this.deliver(domain, "customers/create", customerPayload(state, customer), delivery) };
  }

  updateCustomer(domain: string, customerId: number, patch: Parameters<ShopState["updateCustomer"]>[1], delivery?: DeliveryOptions) {
    const state = this.shop(domain);
    const customer = state.updateCustomer(customerId, patch);
    return { customer, webhook: this.deliver(domain, "customers/update", customerPayload(state, customer), delivery) };
  }

  /** The customer changes their e-mail consent (e.g. unsubscribes in the store). */
  setMarketingConsent(domain: string, customerId: number, marketingState: MarketingState, delivery?: DeliveryOptions) {
    const state = this.shop(domain);
    const level = marketingState === "SUBSCRIBED" ? "SINGLE_OPT_IN" : null;
    const customer = state.setMarketingConsent(customerId, marketingState, level, this.now());
    return {
      customer,
      webhook: this.deliver(domain, "customers_email_marketing_consent/update", consentPayload(state, customer), delivery),
    };
  }

  /** Deletes a customer without orders (Shopify refuses to delete one with orders). */
  deleteCustomer(domain: string, customerId: number, delivery?: DeliveryOptions) {
    this.shop(domain).deleteCustomer(customerId);
    return { webhook: this.deliver(domain, "customers/delete", customerDeletePayload(customerId), delivery) };
  }

  startCheckout(domain: string, customerId: number, delivery?: DeliveryOptions) {
    const state = this.shop(domain);
    const checkout = state.startCheckout(customerId);
    return { checkout, webhook: this.deliver(domain, "checkouts/create", checkoutPayload(state, checkout), delivery) };
  }

  /** The merchant uninstalls the app: its tokens stop working, app/uninstalled is delivered. */
  uninstall(domain: string, delivery?: DeliveryOptions) {
    const state = this.shop(domain);
    state.installed = false;
    state.accessTokens.clear();
    return { webhook: this.deliver(domain, "app/uninstalled", shopPayload(state), delivery) };
  }

  requestCustomerData(domain: string, customerId: number, delivery?: DeliveryOptions) {
    const state = this.shop(domain);
    const customer = state.customer(customerId);
    if (!customer) throw new Error(`no customer ${customerId} in ${domain}`);
    const payload = {
      ...customerCompliancePayload(state, customer),
      orders_requested: state.ordersOf(customerId).map((order) => order.id),
      data_request: { id: randomBytes(4).readUInt32BE() },
    };
    return { webhook: this.deliver(domain, "customers/data_request", payload, delivery) };
  }

  redactCustomer(domain: string, customerId: number, delivery?: DeliveryOptions) {
    const state = this.shop(domain);
    const customer = state.customer(customerId);
    if (!customer) throw new Error(`no customer ${customerId} in ${domain}`);
    const payload = {
      ...customerCompliancePayload(state, customer),
      orders_to_redact: state.ordersOf(customerId).map((order) => order.id),
    };
    return { webhook: this.deliver(domain, "customers/redact", payload, delivery) };
  }

  redactShop(domain: string, delivery?: DeliveryOptions) {
    const state = this.shop(domain);
    return { webhook: this.deliver(domain, "shop/redact", { shop_id: state.store.shop.id, shop_domain: domain }, delivery) };
  }
}

// ── helpers ─────────────────────────────────────────────────────────────────────────────────────

/** Without read_all_orders, Shopify shows only the last 60 days of orders. */
function orderWindow(scopes: AccessScopes, now: Date): Date | null {
  return scopes.has("read_all_orders") ? null : new Date(now.getTime() - 60 * 24 * 3600 * 1000);
}

/**
 * Resolves every field: root fields from the root objects, others from the view objects. A field
 * a view does not provide is an error naming it (never a silent null), and access scopes are
 * enforced by the type a field returns (and per mutation), as Shopify does.
 */
function emulatorResolver(source: unknown, args: Record<string, unknown>, context: EmulatorContext, info: GraphQLResolveInfo) {
  const required = source === mutationRoot ? MUTATION_SCOPES[info.fieldName] : requiredScopeForType(getNamedType(info.returnType).name);
  if (required && !hasScope(context.scopes, required)) throw accessDenied(info.fieldName, required);
  const object = source as Record<string, unknown>;
  if (!(info.fieldName in object)) {
    throw new GraphQLError(`The local Shopify emulator does not implement ${info.parentType.name}.${info.fieldName}.`, {
      extensions: { code: "EMULATOR_UNSUPPORTED" },
    });
  }
  const value = object[info.fieldName];
  return typeof value === "function" ? (value as (a: typeof args, c: EmulatorContext) => unknown)(args, context) : value;
}

const MUTATION_SCOPES: Record<string, string> = {
  discountCodeBasicCreate: "write_discounts",
  discountCodeFreeShippingCreate: "write_discounts",
  discountCodeDelete: "write_discounts",
  discountCodeBulkDelete: "write_discounts",
  discountRedeemCodeBulkAdd: "write_discounts",
  customerEmailMarketingConsentUpdate: "write_customers",
  marketingActivityCreateExternal: "write_marketing_events",
  marketingActivityUpdateExternal: "write_marketing_events",
  marketingActivityUpsertExternal: "write_marketing_events",
  marketingEngagementCreate: "write_marketing_events",
};

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
    return rewrite(`Field '${match[1]}' doesn't exist on type '${match[2]}'`, {
      code: "undefinedField",
      typeName: match[2],
      fieldName: match[1],
    });
  }
  if ((match = /^Unknown argument "(\w+)" on field "\w+\.(\w+)"/.exec(error.message))) {
    return rewrite(`Field '${match[2]}' doesn't accept argument '${match[1]}'`, {
      code: "argumentNotAccepted",
      name: match[2],
      typeName: "Field",
      argumentName: match[1],
    });
  }
  if ((match = /^Field "(?:\w+\.)?(\w+)" argument "(\w+)" of type ".+" is required, but it was not provided/.exec(error.message))) {
    return rewrite(`Field '${match[1]}' is missing required arguments: ${match[2]}`, {
      code: "missingRequiredArguments",
      className: "Field",
      name: match[1],
      arguments: match[2],
    });
  }
  if ((match = /^Variable "\$(\w+)" of required type "(.+)" was not provided/.exec(error.message))) {
    return rewrite(`Variable $${match[1]} of type ${match[2]} was provided invalid value`, {
      value: null,
      problems: [{ path: [], explanation: "Expected value to not be null" }],
    });
  }
  if ((match = /^Variable "\$(\w+)" got invalid value (.+?); (.*)$/s.exec(error.message))) {
    return rewrite(`Variable $${match[1]} of type ${variableType(error)} was provided invalid value`, {
      value: match[2],
      problems: [{ path: [], explanation: match[3] }],
    });
  }
  if (error.message.startsWith("Syntax Error")) {
    return rewrite(error.message.replace(/^Syntax Error: /, "syntax error, "), { code: "parseError" });
  }
  return {
    ...base,
    extensions: error.extensions && Object.keys(error.extensions).length ? error.extensions : { code: "GRAPHQL_VALIDATION_FAILED" },
  };
}

function variableType(error: GraphQLError): string {
  const node = error.nodes?.[0];
  return node && node.kind === Kind.VARIABLE_DEFINITION && node.type.loc
    ? node.type.loc.source.body.slice(node.type.loc.start, node.type.loc.end)
    : "?";
}

/** App Bridge's session token: HS256 with the app secret, issued by this shop, for this app, currently valid. */
function verifySessionToken(token: string, apiKey: string, apiSecret: string, domain: string, now: number): boolean {
  const [header, payload, signature] = token.split(".");
  if (!header || !payload || !signature) return false;
  const expected = createHmac("sha256", apiSecret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
  let claims: { aud?: unknown; dest?: unknown; iss?: unknown; exp?: unknown; nbf?: unknown };
  try {
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as typeof claims;
  } catch {
    return false;
  }
  const seconds = now / 1000;
  return (
    claims.aud === apiKey &&
    claims.dest === `https://${domain}` &&
    // Real tokens say https://<shop>/admin; Shopify's own test helper signs <shop>/admin.
    (claims.iss === `https://${domain}/admin` || claims.iss === `${domain}/admin`) &&
    typeof claims.exp === "number" &&
    claims.exp > seconds &&
    (typeof claims.nbf !== "number" || claims.nbf <= seconds + 5)
  );
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
