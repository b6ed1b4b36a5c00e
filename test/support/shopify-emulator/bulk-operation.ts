import { createWriteStream } from "node:fs";
import { stat } from "node:fs/promises";
import {
  getNamedType,
  isAbstractType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  parse,
  validate,
  valueFromASTUntyped,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { adminSchema } from "./schema";
import { compileSearch } from "./search-query";
import { BULK, customerSearch, customerView, orderSearch, orderView, productSearch, productView, type RequestContext } from "./views";

/**
 * bulkOperationRunQuery: Shopify runs the query over every matching object and writes JSONL, one
 * object per line; the nodes of a nested connection are their own lines, after their parent, with
 * `__parentId`, and the connection field is left out of the parent's line. The emulator streams the
 * root objects, so a million customers never sit in memory.
 */

export const MAX_BULK_CONNECTIONS = 5;
/** Levels of connections nested below the top-level one. */
export const MAX_BULK_CONNECTION_DEPTH = 2;

interface Prepared {
  rootField: FieldNode;
  rootType: GraphQLObjectType;
  fragments: Map<string, FragmentDefinitionNode>;
}

/** Roots the emulator can stream: the field, the resource's search, and how to view a record. */
const ROOTS = {
  customers: { sequence: (context: RequestContext) => context.state.customerSequence(), search: customerSearch, view: customerView },
  orders: { sequence: (context: RequestContext) => context.state.orderSequence(), search: orderSearch, view: orderView },
  products: {
    sequence: (context: RequestContext) => ({
      length: context.state.store.products.length,
      *scan(from: number) {
        const products = context.state.store.products;
        for (let position = from; position < products.length; position++) yield { position, item: products[position]! };
      },
    }),
    search: productSearch,
    view: productView,
  },
} as const;

function isConnectionType(type: GraphQLOutputType): type is GraphQLObjectType {
  const named = getNamedType(type);
  return isObjectType(named) && named.name.endsWith("Connection") && "pageInfo" in named.getFields();
}

function fieldsOf(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, typename?: string): FieldNode[] {
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return [selection];
    const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
    if (!fragment) return [];
    const condition = fragment.typeCondition?.name.value;
    if (typename && condition && condition !== typename && !isInterfaceOf(condition, typename)) return [];
    return fieldsOf(fragment.selectionSet, fragments, typename);
  });
}

function isInterfaceOf(condition: string, typename: string): boolean {
  const schema = adminSchema();
  const abstract = schema.getType(condition);
  const concrete = schema.getType(typename);
  return !!abstract && !!concrete && isAbstractType(abstract) && isObjectType(concrete) && schema.isSubType(abstract, concrete);
}

/** The selection under a connection's `edges { node }` or `nodes`. */
function nodeSelection(field: FieldNode, fragments: Map<string, FragmentDefinitionNode>): SelectionSetNode | undefined {
  for (const child of fieldsOf(field.selectionSet!, fragments)) {
    if (child.name.value === "nodes" && child.selectionSet) return child.selectionSet;
    if (child.name.value === "edges" && child.selectionSet) {
      const node = fieldsOf(child.selectionSet, fragments).find((edge) => edge.name.value === "node");
      if (node?.selectionSet) return node.selectionSet;
    }
  }
  return undefined;
}

/** Checks a bulk query the way Shopify does; returns the problems, or what is needed to run it. */
export function prepareBulkQuery(query: string): { problems: string[] } | Prepared {
  const schema: GraphQLSchema = adminSchema();
  let document;
  try {
    document = parse(query);
  } catch (error) {
    return { problems: [(error as Error).message] };
  }
  const validation = validate(schema, document);
  if (validation.length) return { problems: validation.map((error) => error.message) };
  const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  const fragments = new Map(
    document.definitions.filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION).map((fragment) => [fragment.name.value, fragment]),
  );
  if (operations.length !== 1 || operations[0]!.operation !== "query") return { problems: ["Bulk queries must contain exactly one query operation."] };
  const roots = fieldsOf(operations[0]!.selectionSet, fragments);
  if (roots.length !== 1) return { problems: ["Bulk queries must have exactly one top-level field."] };
  const rootField = roots[0]!;
  const rootDefinition = schema.getQueryType()!.getFields()[rootField.name.value]!;
  if (!isConnectionType(rootDefinition.type)) return { problems: ["Bulk queries require a connection field at the top level."] };
  if (!(rootField.name.value in ROOTS)) {
    return { problems: [`The local Shopify emulator runs bulk queries on ${Object.keys(ROOTS).join(", ")} only, not ${rootField.name.value}.`] };
  }

  const problems: string[] = [];
  let connections = 0;
  const walk = (field: FieldNode, type: GraphQLObjectType, depth: number) => {
    connections++;
    if (depth > MAX_BULK_CONNECTION_DEPTH) problems.push(`Bulk queries cannot nest connections more than ${MAX_BULK_CONNECTION_DEPTH} levels deep.`);
    const selection = nodeSelection(field, fragments);
    if (!selection) {
      problems.push(`The connection ${field.name.value} must select edges { node } or nodes.`);
      return;
    }
    const nodeType = getNamedType(type.getFields().nodes!.type) as GraphQLObjectType;
    const nested = fieldsOf(selection, fragments).filter((child) => {
      const definition = isObjectType(nodeType) ? nodeType.getFields()[child.name.value] : undefined;
      return definition && isConnectionType(definition.type);
    });
    if (nested.length && !fieldsOf(selection, fragments).some((child) => child.name.value === "id" && !child.alias)) {
      problems.push(`${nodeType.name} must select id, because its nested connections refer to it by __parentId.`);
    }
    for (const child of nested) walk(child, getNamedType(nodeType.getFields()[child.name.value]!.type) as GraphQLObjectType, depth + 1);
  };
  // The top-level connection is level 0; Shopify allows two levels of connections nested below it.
  walk(rootField, getNamedType(rootDefinition.type) as GraphQLObjectType, 0);
  if (connections > MAX_BULK_CONNECTIONS) problems.push(`Bulk queries cannot contain more than ${MAX_BULK_CONNECTIONS} connections.`);
  return problems.length ? { problems } : { rootField, rootType: getNamedType(rootDefinition.type) as GraphQLObjectType, fragments };
}

type Line = Record<string, unknown>;

/**
 * Projects a view onto a selection: the parent's line, and the lines of its nested connections'
 * nodes (each with __parentId), in the order Shopify writes them.
 */
function project(view: Record<string, unknown>, selection: SelectionSetNode, type: GraphQLObjectType, fragments: Map<string, FragmentDefinitionNode>, parentId: unknown, out: Line[]): void {
  const line: Line = {};
  const children: (() => void)[] = [];
  for (const field of fieldsOf(selection, fragments, String(view.__typename ?? type.name))) {
    const key = field.alias?.value ?? field.name.value;
    if (field.name.value === "__typename") {
      line[key] = view.__typename ?? type.name;
      continue;
    }
    const definition = type.getFields()[field.name.value];
    if (!definition) continue;
    if (isConnectionType(definition.type)) {
      const connection = (view[field.name.value] as (args: typeof BULK) => { nodes: Record<string, unknown>[] })(BULK);
      const childSelection = nodeSelection(field, fragments)!;
      const childType = getNamedType((getNamedType(definition.type) as GraphQLObjectType).getFields().nodes!.type) as GraphQLObjectType;
      children.push(() => {
        for (const node of connection.nodes) project(node, childSelection, concreteType(node, childType), fragments, view.id, out);
      });
      continue;
    }
    const raw = view[field.name.value];
    const args = Object.fromEntries((field.arguments ?? []).map((argument) => [argument.name.value, valueFromASTUntyped(argument.value)]));
    line[key] = shape(typeof raw === "function" ? (raw as (args: unknown) => unknown)(args) : raw, definition.type, field, fragments);
  }
  if (parentId !== undefined) line.__parentId = parentId;
  out.push(line);
  for (const emit of children) emit();
}

function concreteType(view: Record<string, unknown>, fallback: GraphQLObjectType): GraphQLObjectType {
  const named = view.__typename ? adminSchema().getType(String(view.__typename)) : undefined;
  return named && isObjectType(named) ? named : fallback;
}

/** A nested (non-connection) value: leaves as they are, objects projected inline. */
function shape(value: unknown, type: GraphQLOutputType, field: FieldNode, fragments: Map<string, FragmentDefinitionNode>): unknown {
  if (value === null || value === undefined) return null;
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) return (value as unknown[]).map((item) => shape(item, inner.ofType, field, fragments));
  if (isLeafType(getNamedType(inner))) return value;
  const view = value as Record<string, unknown>;
  const objectType = concreteType(view, getNamedType(inner) as GraphQLObjectType);
  const out: Line[] = [];
  project(view, field.selectionSet!, objectType, fragments, undefined, out);
  return out[0];
}

export interface BulkResult {
  objectCount: number;
  rootObjectCount: number;
  fileSize: number;
}

/** Streams the bulk query's result to `file`, yielding to the event loop so the emulator keeps answering. */
export async function writeBulkResult(context: RequestContext, prepared: Prepared, file: string, cancelled: () => boolean): Promise<BulkResult> {
  const root = ROOTS[prepared.rootField.name.value as keyof typeof ROOTS];
  const queryArgument = prepared.rootField.arguments?.find((argument) => argument.name.value === "query");
  const matches = compileSearch(queryArgument ? String(valueFromASTUntyped(queryArgument.value)) : null, root.search as never).matches;
  const selection = nodeSelection(prepared.rootField, prepared.fragments)!;
  const nodeType = getNamedType(prepared.rootType.getFields().nodes!.type) as GraphQLObjectType;
  const stream = createWriteStream(file);
  let objectCount = 0;
  let rootObjectCount = 0;
  try {
    for (const { item } of root.sequence(context).scan(0, 1)) {
      if (cancelled()) break;
      if (!matches(item as never)) continue;
      const lines: Line[] = [];
      project((root.view as (c: RequestContext, r: unknown) => Record<string, unknown>)(context, item), selection, nodeType, prepared.fragments, undefined, lines);
      rootObjectCount++;
      objectCount += lines.length;
      const chunk = lines.map((line) => JSON.stringify(line)).join("\n") + "\n";
      if (!stream.write(chunk)) await new Promise<void>((resolve) => stream.once("drain", () => resolve()));
      if (rootObjectCount % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
  }
  return { objectCount, rootObjectCount, fileSize: (await stat(file)).size };
}
