import { GraphQLError } from "graphql";
import { accessDenied, hasScope, requiredScopeForType } from "./access";
import { arraySequence, paginate, type PageArgs } from "./connection";
import { discountInputErrors, type Discount, type DiscountInput, type DiscountUserError, type DiscountValue } from "./discounts";
import type { CustomerRecord, MarketingOptInLevel, MarketingState } from "./model";
import type { MarketingActivityRecord } from "./shop-state";
import {
  customersConnection,
  customerView,
  discountNodeView,
  gid,
  orderView,
  orderVisible,
  ordersConnection,
  parseGid,
  productsConnection,
  productVariantsConnection,
  productView,
  shopView,
  variantView,
  type RequestContext,
} from "./views";

/**
 * The root query and mutation resolvers of the emulator. Root fields not listed here answer with
 * an error that names them, so a test never silently gets `null` for something unimplemented.
 */

export interface BulkOperationView {
  id: string;
  status: string;
  [field: string]: unknown;
}

/** Work that outlives a request or reaches outside the shop's state; supplied by the emulator. */
export interface Effects {
  consentChanged(context: RequestContext, customer: CustomerRecord): void;
  runBulkQuery(
    context: RequestContext,
    query: string,
  ): { bulkOperation: BulkOperationView | null; userErrors: { field: string[] | null; message: string; code: string }[] };
  cancelBulkOperation(context: RequestContext, id: number): BulkOperationView | null;
  bulkOperation(context: RequestContext, id: number): BulkOperationView | null;
  currentBulkOperation(context: RequestContext): BulkOperationView | null;
  /** Runs `work` a little later, like Shopify's asynchronous jobs; returns the job's id. */
  startJob(work: () => void): number;
  jobDone(id: number): boolean | undefined;
  flowTriggerHandles: string[] | null;
}

export interface EmulatorContext extends RequestContext {
  effects: Effects;
}

interface BulkCreation {
  id: number;
  discountId: number;
  createdAt: string;
  jobId: number;
  codes: { code: string; errors: DiscountUserError[]; redeemCodeId: number | null }[];
}
const bulkCreations = new WeakMap<object, Map<number, BulkCreation>>();
let nextBulkCreationId = 5_000_000;

function creationsOf(context: EmulatorContext): Map<number, BulkCreation> {
  let map = bulkCreations.get(context.state);
  if (!map) bulkCreations.set(context.state, (map = new Map()));
  return map;
}

function customerIdFromGid(value: string): number | null {
  try {
    return parseGid(value, "Customer").id;
  } catch {
    return null;
  }
}

// ── discounts ──────────────────────────────────────────────────────────────────────────────────

function createDiscount(context: EmulatorContext, root: string, kind: "basic" | "freeShipping", input: DiscountInput) {
  const { state } = context;
  const userErrors = discountInputErrors(
    root,
    kind,
    input,
    (code) => state.isCodeTaken(code),
    (value) => {
      const id = customerIdFromGid(value);
      return id !== null && state.customer(id) !== undefined;
    },
  );
  if (userErrors.length) return { codeDiscountNode: null, userErrors };

  const gets = input.customerGets?.value;
  const value: DiscountValue =
    kind === "freeShipping"
      ? { kind: "freeShipping", maximumShippingPrice: input.maximumShippingPrice ?? null }
      : gets?.percentage != null
        ? { kind: "percentage", percentage: gets.percentage }
        : {
            kind: "amount",
            amount: Number(gets!.discountAmount!.amount).toFixed(2),
            appliesOnEachItem: !!gets!.discountAmount!.appliesOnEachItem,
          };
  const discount = state.addDiscount(
    {
      title: input.title!.trim(),
      value,
      startsAt: new Date(input.startsAt!).toISOString(),
      endsAt: input.endsAt ? new Date(input.endsAt).toISOString() : null,
      usageLimit: input.usageLimit ?? null,
      appliesOncePerCustomer: !!input.appliesOncePerCustomer,
      eligibleCustomers: input.context?.all ? "all" : (input.context!.customers!.add ?? []).map((value) => customerIdFromGid(value)!),
      minimumSubtotal: input.minimumRequirement?.subtotal?.greaterThanOrEqualToSubtotal
        ? Number(input.minimumRequirement.subtotal.greaterThanOrEqualToSubtotal).toFixed(2)
        : null,
      combinesWith: {
        orderDiscounts: !!input.combinesWith?.orderDiscounts,
        productDiscounts: !!input.combinesWith?.productDiscounts,
        shippingDiscounts: !!input.combinesWith?.shippingDiscounts,
      },
      tags: input.tags ?? [],
    },
    input.code!.trim(),
  );
  return { codeDiscountNode: discountNodeView(context, discount), userErrors: [] };
}

function discountFromGid(context: EmulatorContext, value: string): Discount | undefined {
  const { id } = parseGid(value, "DiscountCodeNode");
  return context.state.discounts.get(id);
}

function bulkCreationView(context: EmulatorContext, creation: BulkCreation) {
  const discount = context.state.discounts.get(creation.discountId);
  const done = context.effects.jobDone(creation.jobId) ?? true;
  const settled = done ? creation.codes : [];
  return {
    __typename: "DiscountRedeemCodeBulkCreation",
    id: gid("DiscountRedeemCodeBulkCreation", creation.id),
    createdAt: creation.createdAt,
    done,
    codesCount: creation.codes.length,
    importedCount: settled.filter((code) => code.errors.length === 0).length,
    failedCount: settled.filter((code) => code.errors.length > 0).length,
    discountCode: discount ? discountNodeView(context, discount) : null,
    codes: (args: PageArgs) =>
      paginate(arraySequence(settled), args, (code) => ({
        __typename: "DiscountRedeemCodeBulkCreationCode",
        code: code.code,
        errors: code.errors,
        discountRedeemCode:
          code.redeemCodeId === null
            ? null
            : { __typename: "DiscountRedeemCode", id: gid("DiscountRedeemCode", code.redeemCodeId), code: code.code, asyncUsageCount: 0 },
      })),
  };
}

// ── marketing ──────────────────────────────────────────────────────────────────────────────────

function marketingActivityView(activity: MarketingActivityRecord) {
  return {
    __typename: "MarketingActivity",
    id: gid("MarketingActivity", activity.id),
    title: activity.title,
    status: activity.status,
    statusLabel: activity.status.toLowerCase(),
    isExternal: true,
    tactic: activity.tactic,
    marketingChannelType: activity.marketingChannelType,
    marketingChannel: activity.marketingChannelType,
    createdAt: activity.createdAt,
    updatedAt: activity.updatedAt,
    utmParameters: activity.utm,
    urlParameterValue: null,
    sourceAndMedium: activity.utm ? `${activity.utm.source} ${activity.utm.medium}` : "",
    inMainWorkflowVersion: true,
  };
}

interface MarketingActivityInput {
  title?: string;
  remoteId?: string | null;
  remoteUrl?: string;
  status?: string | null;
  tactic?: string;
  marketingChannelType?: string;
  utm?: { campaign: string; source: string; medium: string } | null;
}

function findActivity(
  context: EmulatorContext,
  by: { marketingActivityId?: string | null; remoteId?: string | null; utm?: MarketingActivityInput["utm"] },
) {
  const activities = [...context.state.marketingActivities.values()];
  if (by.marketingActivityId) return context.state.marketingActivities.get(parseGid(by.marketingActivityId, "MarketingActivity").id);
  if (by.remoteId) return activities.find((activity) => activity.remoteId === by.remoteId);
  if (by.utm)
    return activities.find(
      (activity) =>
        activity.utm?.campaign === by.utm!.campaign && activity.utm.source === by.utm!.source && activity.utm.medium === by.utm!.medium,
    );
  return undefined;
}

// ── roots ──────────────────────────────────────────────────────────────────────────────────────

type Args = Record<string, unknown>;

export const queryRoot: Record<string, (args: Args, context: EmulatorContext) => unknown> = {
  shop: (_args, context) => shopView(context),
  customer: ({ id }, context) => {
    const customer = context.state.customer(parseGid(String(id), "Customer").id);
    return customer ? customerView(context, customer) : null;
  },
  customers: (args, context) => customersConnection(context, args),
  order: ({ id }, context) => {
    const order = context.state.order(parseGid(String(id), "Order").id);
    return order && orderVisible(context, order) ? orderView(context, order) : null;
  },
  orders: (args, context) => ordersConnection(context, args),
  product: ({ id }, context) => {
    const product = context.state.store.products.find((candidate) => candidate.id === parseGid(String(id), "Product").id);
    return product ? productView(context, product) : null;
  },
  products: (args, context) => productsConnection(context, args),
  productVariant: ({ id }, context) => {
    const found = context.state.variant(parseGid(String(id), "ProductVariant").id);
    return found ? variantView(context, found.product, found.variant) : null;
  },
  productVariants: (args, context) => productVariantsConnection(context, args),
  node: ({ id }, context) => nodeById(context, String(id)),
  nodes: ({ ids }, context) => {
    const list = ids as string[];
    if (list.length > 250) throw new GraphQLError("nodes accepts at most 250 ids.", { extensions: { code: "MAX_INPUT_SIZE_EXCEEDED" } });
    return list.map((id) => nodeById(context, id));
  },
  bulkOperation: ({ id }, context) => context.effects.bulkOperation(context, parseGid(String(id), "BulkOperation").id),
  currentBulkOperation: (_args, context) => context.effects.currentBulkOperation(context),
  codeDiscountNodeByCode: ({ code }, context) => {
    const found = context.state.findCode(String(code));
    return found ? discountNodeView(context, found.discount) : null;
  },
  codeDiscountNode: ({ id }, context) => {
    const discount = discountFromGid(context, String(id));
    return discount ? discountNodeView(context, discount) : null;
  },
  discountRedeemCodeBulkCreation: ({ id }, context) => {
    const creation = creationsOf(context).get(parseGid(String(id), "DiscountRedeemCodeBulkCreation").id);
    return creation ? bulkCreationView(context, creation) : null;
  },
  job: ({ id }, context) => {
    const done = context.effects.jobDone(parseGid(String(id), "Job").id);
    return done === undefined ? null : { __typename: "Job", id, done, query: null };
  },
  marketingActivity: ({ id }, context) => {
    const activity = context.state.marketingActivities.get(parseGid(String(id), "MarketingActivity").id);
    return activity ? marketingActivityView(activity) : null;
  },
};

function nodeById(context: EmulatorContext, value: string): unknown {
  const { type } = parseGid(value);
  const byType: Record<string, string> = {
    Customer: "customer",
    Order: "order",
    Product: "product",
    ProductVariant: "productVariant",
    BulkOperation: "bulkOperation",
    DiscountCodeNode: "codeDiscountNode",
    MarketingActivity: "marketingActivity",
    DiscountRedeemCodeBulkCreation: "discountRedeemCodeBulkCreation",
    Job: "job",
  };
  const field = byType[type];
  if (!field)
    throw new GraphQLError(`The local Shopify emulator does not resolve ${type} nodes.`, { extensions: { code: "EMULATOR_UNSUPPORTED" } });
  // node(id) returns the Node interface, so the scope of the concrete type is checked here.
  const required = requiredScopeForType(type);
  if (required && !hasScope(context.scopes, required)) throw accessDenied("node", required);
  return queryRoot[field]!({ id: value }, context);
}

export const mutationRoot: Record<string, (args: Args, context: EmulatorContext) => unknown> = {
  discountCodeBasicCreate: ({ basicCodeDiscount }, context) =>
    createDiscount(context, "basicCodeDiscount", "basic", basicCodeDiscount as DiscountInput),
  discountCodeFreeShippingCreate: ({ freeShippingCodeDiscount }, context) =>
    createDiscount(context, "freeShippingCodeDiscount", "freeShipping", freeShippingCodeDiscount as DiscountInput),
  discountCodeDelete: ({ id }, context) => {
    const discount = discountFromGid(context, String(id));
    if (!discount || !context.state.deleteDiscount(discount.id)) {
      return {
        deletedCodeDiscountId: null,
        userErrors: [{ field: ["id"], message: "Discount does not exist", code: "INVALID", extraInfo: null }],
      };
    }
    return { deletedCodeDiscountId: id, userErrors: [] };
  },
  discountCodeBulkDelete: ({ ids, search, savedSearchId }, context) => {
    if (search || savedSearchId) {
      throw new GraphQLError("The local Shopify emulator deletes discounts by ids only.", { extensions: { code: "EMULATOR_UNSUPPORTED" } });
    }
    const list = (ids as string[] | null) ?? [];
    if (list.length === 0)
      return { job: null, userErrors: [{ field: ["ids"], message: "Ids can't be blank", code: "BLANK", extraInfo: null }] };
    const discountIds = list.map((value) => parseGid(value, "DiscountCodeNode").id);
    const jobId = context.effects.startJob(() => discountIds.forEach((id) => context.state.deleteDiscount(id)));
    return { job: { __typename: "Job", id: gid("Job", jobId), done: false, query: null }, userErrors: [] };
  },
  discountRedeemCodeBulkAdd: ({ discountId, codes }, context) => {
    const discount = discountFromGid(context, String(discountId));
    const list = codes as { code: string }[];
    if (!discount)
      return {
        bulkCreation: null,
        userErrors: [{ field: ["discountId"], message: "Discount does not exist", code: "INVALID", extraInfo: null }],
      };
    if (list.length > 250) {
      return {
        bulkCreation: null,
        userErrors: [{ field: ["codes"], message: "Codes can't exceed 250 per request", code: "TOO_MANY_ARGUMENTS", extraInfo: null }],
      };
    }
    const creation: BulkCreation = {
      id: nextBulkCreationId++,
      discountId: discount.id,
      createdAt: context.state.now().toISOString(),
      jobId: 0,
      codes: list.map(({ code }) => ({ code, errors: [], redeemCodeId: null })),
    };
    creation.jobId = context.effects.startJob(() => {
      for (const entry of creation.codes) {
        const code = entry.code.trim();
        if (!code || /\s/.test(code)) entry.errors.push({ field: ["code"], message: "Code is invalid", code: "INVALID" });
        else if (context.state.isCodeTaken(code))
          entry.errors.push({ field: ["code"], message: "Code must be unique. Please try a different code.", code: "TAKEN" });
        else entry.redeemCodeId = context.state.addRedeemCode(discount, code).id;
      }
    });
    creationsOf(context).set(creation.id, creation);
    return { bulkCreation: bulkCreationView(context, creation), userErrors: [] };
  },
  customerEmailMarketingConsentUpdate: ({ input }, context) => {
    const { customerId, emailMarketingConsent } = input as {
      customerId: string;
      emailMarketingConsent: {
        marketingState: MarketingState | "REDACTED";
        marketingOptInLevel?: MarketingOptInLevel | null;
        consentUpdatedAt?: string | null;
      };
    };
    const error = (field: string[], message: string, code: string) => ({ customer: null, userErrors: [{ field, message, code }] });
    const id = customerIdFromGid(customerId);
    if (id === null || !context.state.customer(id)) return error(["input", "customerId"], "Customer not found", "INVALID");
    const { marketingState, marketingOptInLevel, consentUpdatedAt } = emailMarketingConsent;
    if (!["SUBSCRIBED", "UNSUBSCRIBED", "NOT_SUBSCRIBED", "PENDING"].includes(marketingState)) {
      return error(["input", "emailMarketingConsent", "marketingState"], "Marketing state is not included in the list", "INCLUSION");
    }
    const at = consentUpdatedAt ? new Date(consentUpdatedAt) : context.state.now();
    if (at.getTime() > context.state.now().getTime() + 60_000) {
      return error(["input", "emailMarketingConsent", "consentUpdatedAt"], "Consent updated at can't be in the future", "INVALID");
    }
    const level = marketingOptInLevel ?? (marketingState === "SUBSCRIBED" ? "SINGLE_OPT_IN" : null);
    const customer = context.state.setMarketingConsent(id, marketingState as MarketingState, level, at);
    context.effects.consentChanged(context, customer);
    return { customer: customerView(context, customer), userErrors: [] };
  },
  marketingActivityCreateExternal: ({ input }, context) => {
    const activity = input as MarketingActivityInput;
    const userErrors: { field: string[]; message: string; code: string }[] = [];
    if (!activity.title?.trim()) userErrors.push({ field: ["input", "title"], message: "Title can't be blank", code: "INVALID" });
    if (!activity.utm && !activity.remoteId)
      userErrors.push({ field: ["input", "utm"], message: "UTM parameters or a remote id are required", code: "INVALID" });
    if (activity.remoteId && findActivity(context, { remoteId: activity.remoteId })) {
      userErrors.push({ field: ["input", "remoteId"], message: "Remote ID has already been taken", code: "INVALID" });
    }
    if (activity.utm && findActivity(context, { utm: activity.utm })) {
      userErrors.push({ field: ["input", "utm"], message: "UTM parameters have already been taken", code: "INVALID" });
    }
    if (userErrors.length) return { marketingActivity: null, userErrors };
    const record = context.state.addMarketingActivity({
      remoteId: activity.remoteId ?? null,
      title: activity.title!.trim(),
      status: activity.status ?? "ACTIVE", // the external statuses are MarketingActivityStatus values too
      tactic: activity.tactic!,
      marketingChannelType: activity.marketingChannelType!,
      remoteUrl: activity.remoteUrl!,
      utm: activity.utm ?? null,
    });
    return { marketingActivity: marketingActivityView(record), userErrors: [] };
  },
  marketingActivityUpsertExternal: ({ input }, context) => {
    const activity = input as MarketingActivityInput & { remoteId: string };
    const existing = findActivity(context, { remoteId: activity.remoteId });
    const userErrors: { field: string[]; message: string; code: string }[] = [];
    if (!activity.title?.trim()) userErrors.push({ field: ["input", "title"], message: "Title can't be blank", code: "INVALID" });
    const sameUtm = activity.utm ? findActivity(context, { utm: activity.utm }) : undefined;
    if (sameUtm && sameUtm !== existing)
      userErrors.push({ field: ["input", "utm"], message: "UTM parameters have already been taken", code: "INVALID" });
    if (userErrors.length) return { marketingActivity: null, userErrors };
    if (existing) {
      Object.assign(existing, {
        title: activity.title!.trim(),
        status: activity.status!,
        tactic: activity.tactic!,
        remoteUrl: activity.remoteUrl!,
        utm: activity.utm ?? existing.utm,
      });
      existing.updatedAt = context.state.now().toISOString();
      return { marketingActivity: marketingActivityView(existing), userErrors: [] };
    }
    const record = context.state.addMarketingActivity({
      remoteId: activity.remoteId,
      title: activity.title!.trim(),
      status: activity.status!,
      tactic: activity.tactic!,
      marketingChannelType: activity.marketingChannelType!,
      remoteUrl: activity.remoteUrl!,
      utm: activity.utm ?? null,
    });
    return { marketingActivity: marketingActivityView(record), userErrors: [] };
  },
  marketingActivityUpdateExternal: ({ input, marketingActivityId, remoteId, utm }, context) => {
    const record = findActivity(context, {
      marketingActivityId: marketingActivityId as string,
      remoteId: remoteId as string,
      utm: utm as MarketingActivityInput["utm"],
    });
    if (!record)
      return {
        marketingActivity: null,
        userErrors: [
          { field: ["marketingActivityId"], message: "Marketing activity does not exist", code: "MARKETING_ACTIVITY_DOES_NOT_EXIST" },
        ],
      };
    const changes = input as MarketingActivityInput;
    if (changes.title) record.title = changes.title;
    if (changes.status) record.status = changes.status;
    record.updatedAt = context.state.now().toISOString();
    return { marketingActivity: marketingActivityView(record), userErrors: [] };
  },
  marketingEngagementCreate: ({ marketingActivityId, remoteId, channelHandle, marketingEngagement }, context) => {
    if (channelHandle) {
      throw new GraphQLError("The local Shopify emulator records engagements of marketing activities only.", {
        extensions: { code: "EMULATOR_UNSUPPORTED" },
      });
    }
    const record = findActivity(context, { marketingActivityId: marketingActivityId as string, remoteId: remoteId as string });
    if (!record)
      return {
        marketingEngagement: null,
        userErrors: [
          { field: ["marketingActivityId"], message: "Marketing activity does not exist", code: "MARKETING_ACTIVITY_DOES_NOT_EXIST" },
        ],
      };
    const engagement = marketingEngagement as Record<string, unknown> & { occurredOn: string };
    context.state.marketingEngagements.push({ marketingActivityId: record.id, occurredOn: engagement.occurredOn, input: engagement });
    return {
      marketingEngagement: { ...engagement, isCumulative: false, marketingActivity: marketingActivityView(record) },
      userErrors: [],
    };
  },
  flowTriggerReceive: ({ handle, payload, body }, context) => {
    const known = context.effects.flowTriggerHandles;
    if (!handle && !body) return { userErrors: [{ field: ["handle"], message: "Handle can't be blank" }] };
    if (handle && known && !known.includes(String(handle)))
      return { userErrors: [{ field: ["handle"], message: `Invalid handle '${handle}'` }] };
    if (JSON.stringify(payload ?? body ?? null).length > 50_000)
      return { userErrors: [{ field: ["payload"], message: "Payload exceeds 50 KB" }] };
    context.state.flowTriggers.push({
      handle: String(handle ?? ""),
      payload: payload ?? JSON.parse(String(body)),
      receivedAt: context.state.now().toISOString(),
    });
    return { userErrors: [] };
  },
  bulkOperationRunQuery: ({ query }, context) => context.effects.runBulkQuery(context, String(query)),
  bulkOperationCancel: ({ id }, context) => {
    const operation = context.effects.cancelBulkOperation(context, parseGid(String(id), "BulkOperation").id);
    return operation
      ? { bulkOperation: operation, userErrors: [] }
      : { bulkOperation: null, userErrors: [{ field: ["id"], message: "Bulk operation does not exist", code: "INVALID" }] };
  },
};
