import {
  getNamedType,
  getNullableType,
  isAbstractType,
  isListType,
  isLeafType,
  isObjectType,
  Kind,
  valueFromASTUntyped,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

/**
 * Query cost as Shopify documents it (shopify.dev, "GraphQL Admin API rate limits"): scalars and
 * enums 0, objects 1, interfaces and unions the maximum over their possible types, connections
 * 2 + (first or last) × the cost of one node, each mutation field 10.
 *
 * The requested cost is computed before execution from the document; the actual cost walks the
 * response with the same rules, counting the nodes a connection really returned.
 */

export const MUTATION_FIELD_COST = 10;
const CONNECTION_OVERHEAD = 2;

interface CostContext {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

/** `variables` must be coerced (defaults applied), or a `first: $n` with a default would cost nothing. */
export function requestedQueryCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Map<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): number {
  return operationCost({ schema, fragments, variables }, operation, undefined);
}

export function actualQueryCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Map<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  data: Record<string, unknown> | null,
): number {
  if (!data && operation.operation !== "mutation") return 0;
  return operationCost({ schema, fragments, variables }, operation, data ?? undefined);
}

function operationCost(context: CostContext, operation: OperationDefinitionNode, data: Record<string, unknown> | undefined): number {
  if (operation.operation === "mutation") {
    return fieldsOf(context, operation.selectionSet, context.schema.getMutationType()!).length * MUTATION_FIELD_COST;
  }
  return selectionCost(context, operation.selectionSet, context.schema.getQueryType()!, data);
}

/** The fields a selection set selects on `type`, with fragments spread in. */
function fieldsOf(context: CostContext, selectionSet: SelectionSetNode, type: GraphQLObjectType): FieldNode[] {
  const fields: FieldNode[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) fields.push(selection);
    else {
      const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : context.fragments.get(selection.name.value);
      if (!fragment) continue;
      const condition = fragment.typeCondition?.name.value;
      if (condition && !appliesTo(context.schema, condition, type)) continue;
      fields.push(...fieldsOf(context, fragment.selectionSet, type));
    }
  }
  return fields;
}

function appliesTo(schema: GraphQLSchema, condition: string, type: GraphQLObjectType): boolean {
  if (condition === type.name) return true;
  const conditionType = schema.getType(condition);
  return !!conditionType && isAbstractType(conditionType) && schema.isSubType(conditionType, type);
}

/**
 * Cost of a selection on a composite type. With `data` (the actual response value) the real
 * sizes of connections are used; without it, the requested sizes.
 */
function selectionCost(
  context: CostContext,
  selectionSet: SelectionSetNode,
  type: GraphQLCompositeType,
  data: Record<string, unknown> | undefined,
): number {
  if (isAbstractType(type)) {
    const candidates = data?.__typename
      ? [context.schema.getType(String(data.__typename)) as GraphQLObjectType]
      : context.schema.getPossibleTypes(type);
    return Math.max(0, ...candidates.map((candidate) => selectionCost(context, selectionSet, candidate, data)));
  }
  let total = 0;
  for (const field of fieldsOf(context, selectionSet, type as GraphQLObjectType)) {
    const definition = (type as GraphQLObjectType).getFields()[field.name.value];
    if (!definition || !field.selectionSet) continue;
    const value = data?.[field.alias?.value ?? field.name.value];
    if (data && (value === null || value === undefined)) continue;
    total += fieldCost(context, field, definition, value);
  }
  return total;
}

function fieldCost(context: CostContext, field: FieldNode, definition: GraphQLField<unknown, unknown>, value: unknown): number {
  const named = getNamedType(definition.type);
  if (isLeafType(named)) return 0;
  const composite = named as GraphQLCompositeType;
  if (isConnection(composite)) return connectionCost(context, field, composite as GraphQLObjectType, value);
  if (Array.isArray(value)) {
    return value.reduce<number>((sum, item) => sum + 1 + selectionCost(context, field.selectionSet!, composite, item), 0);
  }
  const one = 1 + selectionCost(context, field.selectionSet!, composite, value as Record<string, unknown> | undefined);
  // A list field such as nodes(ids:) is requested as one object per id.
  return value === undefined && isListType(getNullableType(definition.type)) ? one * listArgumentSize(context, field) : one;
}

function listArgumentSize(context: CostContext, field: FieldNode): number {
  for (const argument of field.arguments ?? []) {
    const value = valueFromASTUntyped(argument.value, context.variables);
    if (Array.isArray(value)) return value.length;
  }
  return 1;
}

function isConnection(type: GraphQLCompositeType): boolean {
  return isObjectType(type) && type.name.endsWith("Connection") && "pageInfo" in type.getFields();
}

/** 2 + nodes × (1 + the node's selection), the node's selection read from `edges.node` or `nodes`. */
function connectionCost(context: CostContext, field: FieldNode, type: GraphQLObjectType, value: unknown): number {
  const nodeType = getNamedType(type.getFields().nodes!.type) as GraphQLCompositeType;
  const nodeSelections = nodeSelectionsOf(context, field.selectionSet!, type);
  if (value === undefined) {
    const size = requestedSize(context, field);
    const perNode = nodeSelections.length
      ? 1 + Math.max(...nodeSelections.map((selection) => selectionCost(context, selection, nodeType, undefined)))
      : 0;
    return CONNECTION_OVERHEAD + size * perNode;
  }
  const connection = value as { edges?: { node?: Record<string, unknown> }[]; nodes?: Record<string, unknown>[] };
  const nodes = connection.nodes ?? connection.edges?.map((edge) => edge.node ?? {}) ?? [];
  const perNode = (node: Record<string, unknown>) =>
    nodeSelections.length ? 1 + Math.max(...nodeSelections.map((selection) => selectionCost(context, selection, nodeType, node))) : 0;
  return CONNECTION_OVERHEAD + nodes.reduce((sum, node) => sum + perNode(node), 0);
}

function nodeSelectionsOf(context: CostContext, selectionSet: SelectionSetNode, type: GraphQLObjectType): SelectionSetNode[] {
  const selections: SelectionSetNode[] = [];
  for (const field of fieldsOf(context, selectionSet, type)) {
    if (field.name.value === "nodes" && field.selectionSet) selections.push(field.selectionSet);
    if (field.name.value === "edges" && field.selectionSet) {
      const edgeType = getNamedType(type.getFields().edges!.type) as GraphQLObjectType;
      for (const edgeField of fieldsOf(context, field.selectionSet, edgeType)) {
        if (edgeField.name.value === "node" && edgeField.selectionSet) selections.push(edgeField.selectionSet);
      }
    }
  }
  return selections;
}

function requestedSize(context: CostContext, field: FieldNode): number {
  for (const name of ["first", "last"]) {
    const argument = field.arguments?.find((arg) => arg.name.value === name);
    if (argument) {
      const size = valueFromASTUntyped(argument.value, context.variables);
      if (typeof size === "number") return size;
    }
  }
  return 0;
}

/**
 * Shopify's leaky bucket per (app, shop): `maximumAvailable` points, refilled continuously at
 * `restoreRate` points per second. A request takes its requested cost up front; the difference
 * to its actual cost is given back after execution.
 */
export class LeakyBucket {
  private available: number;
  private updatedAt: number;

  constructor(
    readonly maximumAvailable: number,
    readonly restoreRate: number,
    private readonly now: () => number = Date.now,
  ) {
    this.available = maximumAvailable;
    this.updatedAt = now();
  }

  currentlyAvailable(): number {
    const now = this.now();
    this.available = Math.min(this.maximumAvailable, this.available + ((now - this.updatedAt) / 1000) * this.restoreRate);
    this.updatedAt = now;
    return this.available;
  }

  /** Takes `cost` points if available; false (and nothing taken) when the request must be throttled. */
  take(cost: number): boolean {
    if (this.currentlyAvailable() < cost) return false;
    this.available -= cost;
    return true;
  }

  /** After execution: charge the actual cost instead of the requested one (refund or extra charge). */
  settle(requested: number, actual: number): void {
    this.currentlyAvailable();
    this.available = Math.max(0, Math.min(this.maximumAvailable, this.available + requested - actual));
  }

  status() {
    return {
      maximumAvailable: this.maximumAvailable,
      currentlyAvailable: Math.floor(this.currentlyAvailable()),
      restoreRate: this.restoreRate,
    };
  }
}
