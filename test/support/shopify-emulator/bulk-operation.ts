import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { stat } from "node:fs/promises";
import {
  getNamedType,
  getNullableType,
  isAbstractType,
  isLeafType,
  isListType,
  isObjectType,
  Kind,
  parse,
  validate,
  valueFromASTUntyped,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { arraySequence, type Sequence } from "./connection";
import type { OrderRecord } from "./model";
import { adminSchema } from "./schema";
import { compileSearch, type SearchSpec } from "./search-query";
import {
  BULK,
  customerSearch,
  customerView,
  orderSearch,
  orderView,
  orderVisible,
  productSearch,
  productView,
  type RequestContext,
} from "./views";

/**
 * bulkOperationRunQuery: Shopify runs the query over every matching object and writes JSONL, one
 * object per line; the nodes of a nested connection are their own lines, after their parent, with
 * `__parentId`, and the connection field is left out of the parent's line. The emulator streams the
 * root objects, so a million customers never sit in memory.
 */

export const MAX_BULK_CONNECTIONS = 5;
/** Levels of connections nested below the top-level one. */
export const MAX_BULK_CONNECTION_DEPTH = 2;

type Fragments = Map<string, FragmentDefinitionNode>;

interface Prepared {
  rootField: FieldNode;
  rootType: GraphQLObjectType;
  fragments: Fragments;
}

interface Root {
  sequence: (context: RequestContext) => Sequence<unknown>;
  search: SearchSpec<never>;
  view: (context: RequestContext, record: never) => Record<string, unknown>;
  visible?: (context: RequestContext, record: never) => boolean;
}

/** Roots the emulator can stream: the records, the resource's search, and how to view one. */
const ROOTS: Record<string, Root> = {
  customers: {
    sequence: (context) => context.state.customerSequence(),
    search: customerSearch as SearchSpec<never>,
    view: customerView as Root["view"],
  },
  orders: {
    sequence: (context) => context.state.orderSequence(),
    search: orderSearch as SearchSpec<never>,
    view: orderView as Root["view"],
    visible: orderVisible as (context: RequestContext, record: OrderRecord) => boolean as Root["visible"],
  },
  products: {
    sequence: (context) => arraySequence(context.state.store.products),
    search: productSearch as SearchSpec<never>,
    view: productView as Root["view"],
  },
};

function isConnectionType(type: GraphQLOutputType): boolean {
  const named = getNamedType(type);
  return isObjectType(named) && named.name.endsWith("Connection") && "pageInfo" in named.getFields();
}

function appliesTo(condition: string | undefined, typename: string | undefined): boolean {
  if (!condition || !typename || condition === typename) return true;
  const schema = adminSchema();
  const abstract = schema.getType(condition);
  const concrete = schema.getType(typename);
  return !!abstract && !!concrete && isAbstractType(abstract) && isObjectType(concrete) && schema.isSubType(abstract, concrete);
}

/**
 * The fields a selection selects on a (concrete) type, grouped by response key with fragments
 * spread in, as graphql-js's collectFields does: a field selected twice is one field whose
 * sub-selections are merged.
 */
function collect(
  selectionSet: SelectionSetNode,
  fragments: Fragments,
  typename?: string,
  into = new Map<string, FieldNode[]>(),
): Map<string, FieldNode[]> {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const key = selection.alias?.value ?? selection.name.value;
      into.set(key, [...(into.get(key) ?? []), selection]);
      continue;
    }
    const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
    if (fragment && appliesTo(fragment.typeCondition?.name.value, typename)) collect(fragment.selectionSet, fragments, typename, into);
  }
  return into;
}

function merged(fields: FieldNode[]): SelectionSetNode | undefined {
  const selections = fields.flatMap((field) => field.selectionSet?.selections ?? []);
  return selections.length ? { kind: Kind.SELECTION_SET, selections } : undefined;
}

/** The selection under a connection's `edges { node }` and `nodes`, merged. */
function nodeSelection(fields: FieldNode[], fragments: Fragments): SelectionSetNode | undefined {
  const parts: FieldNode[] = [];
  const inner = merged(fields);
  if (!inner) return undefined;
  for (const [, group] of collect(inner, fragments)) {
    for (const child of group) {
      if (child.name.value === "nodes") parts.push(child);
      if (child.name.value === "edges" && child.selectionSet) {
        for (const [, nodes] of collect(child.selectionSet, fragments)) parts.push(...nodes.filter((node) => node.name.value === "node"));
      }
    }
  }
  return merged(parts);
}

/** Checks a bulk query the way Shopify does; returns the problems, or what is needed to run it. */
export function prepareBulkQuery(query: string): { problems: string[] } | Prepared {
  const schema = adminSchema();
  let document;
  try {
    document = parse(query);
  } catch (error) {
    return { problems: [(error as Error).message] };
  }
  const validation = validate(schema, document);
  if (validation.length) return { problems: validation.map((error) => error.message) };
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  const fragments: Fragments = new Map(
    document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  if (operations.length !== 1 || operations[0]!.operation !== "query")
    return { problems: ["Bulk queries must contain exactly one query operation."] };
  if (operations[0]!.variableDefinitions?.length) return { problems: ["Bulk queries cannot use variables."] };
  const roots = [...collect(operations[0]!.selectionSet, fragments).values()];
  if (roots.length !== 1) return { problems: ["Bulk queries must have exactly one top-level field."] };
  const rootField = roots[0]![0]!;
  const rootDefinition = schema.getQueryType()!.getFields()[rootField.name.value]!;
  if (!isConnectionType(rootDefinition.type)) return { problems: ["Bulk queries require a connection field at the top level."] };
  if (!(rootField.name.value in ROOTS)) {
    return {
      problems: [`The local Shopify emulator runs bulk queries on ${Object.keys(ROOTS).join(", ")} only, not ${rootField.name.value}.`],
    };
  }
  const sortKey = rootField.arguments?.find((argument) => argument.name.value === "sortKey");
  if (sortKey && !["ID", "RELEVANCE"].includes(String(valueFromASTUntyped(sortKey.value)))) {
    return { problems: ["The local Shopify emulator runs bulk queries in id order only."] };
  }

  const problems: string[] = [];
  let connections = 0;
  // Walks every object level: connections count and nest; other objects are walked through.
  const walk = (selection: SelectionSetNode, type: GraphQLObjectType, depth: number, underConnectionNode: boolean) => {
    for (const [, group] of collect(selection, fragments, type.name)) {
      const field = group[0]!;
      const definition = type.getFields()[field.name.value];
      if (!definition || isLeafType(getNamedType(definition.type))) continue;
      if (isConnectionType(definition.type)) {
        connections++;
        if (!underConnectionNode)
          problems.push(`The local Shopify emulator does not export the connection ${field.name.value} under a non-connection field.`);
        if (depth + 1 > MAX_BULK_CONNECTION_DEPTH)
          problems.push(`Bulk queries cannot nest connections more than ${MAX_BULK_CONNECTION_DEPTH} levels deep.`);
        const nodes = nodeSelection(group, fragments);
        if (!nodes) {
          problems.push(`The connection ${field.name.value} must select edges { node } or nodes.`);
          continue;
        }
        const nodeType = getNamedType((getNamedType(definition.type) as GraphQLObjectType).getFields().nodes!.type) as GraphQLObjectType;
        if (!collect(selection, fragments, type.name).has("id"))
          problems.push(`${type.name} must select id, because its nested connections refer to it by __parentId.`);
        walk(nodes, nodeType, depth + 1, true);
      } else {
        const inner = merged(group);
        const named = getNamedType(definition.type);
        if (inner && isObjectType(named)) walk(inner, named, depth, false);
      }
    }
  };
  const rootNodes = nodeSelection([rootField], fragments);
  if (!rootNodes) return { problems: [`The connection ${rootField.name.value} must select edges { node } or nodes.`] };
  const rootType = getNamedType(rootDefinition.type) as GraphQLObjectType;
  connections++;
  walk(rootNodes, getNamedType(rootType.getFields().nodes!.type) as GraphQLObjectType, 0, true);
  if (connections > MAX_BULK_CONNECTIONS) problems.push(`Bulk queries cannot contain more than ${MAX_BULK_CONNECTIONS} connections.`);
  return problems.length ? { problems: [...new Set(problems)] } : { rootField, rootType, fragments };
}

type Line = Record<string, unknown>;

function concreteType(view: Record<string, unknown>, fallback: GraphQLObjectType): GraphQLObjectType {
  const named = view.__typename ? adminSchema().getType(String(view.__typename)) : undefined;
  return named && isObjectType(named) ? named : fallback;
}

function read(view: Record<string, unknown>, field: FieldNode, type: GraphQLObjectType, args: unknown): unknown {
  if (!(field.name.value in view)) throw new Error(`The local Shopify emulator does not implement ${type.name}.${field.name.value}.`);
  const raw = view[field.name.value];
  return typeof raw === "function" ? (raw as (args: unknown) => unknown)(args) : raw;
}

/**
 * Projects a view onto a selection: the object's own fields (nested objects inline), then the
 * lines of its nested connections' nodes, each with __parentId.
 */
function project(
  view: Record<string, unknown>,
  selection: SelectionSetNode,
  type: GraphQLObjectType,
  fragments: Fragments,
  parentId: unknown,
  out: Line[],
): void {
  const line: Line = {};
  const children: (() => void)[] = [];
  for (const [key, group] of collect(selection, fragments, type.name)) {
    const field = group[0]!;
    if (field.name.value === "__typename") {
      line[key] = type.name;
      continue;
    }
    const definition = type.getFields()[field.name.value]!;
    if (isConnectionType(definition.type)) {
      const { nodes } = read(view, field, type, BULK) as { nodes: Record<string, unknown>[] };
      const childSelection = nodeSelection(group, fragments)!;
      const childType = getNamedType((getNamedType(definition.type) as GraphQLObjectType).getFields().nodes!.type) as GraphQLObjectType;
      children.push(() => {
        for (const node of nodes) project(node, childSelection, concreteType(node, childType), fragments, view.id, out);
      });
      continue;
    }
    const args = Object.fromEntries((field.arguments ?? []).map((argument) => [argument.name.value, valueFromASTUntyped(argument.value)]));
    line[key] = shape(read(view, field, type, args), definition.type, group, fragments);
  }
  if (parentId !== undefined) line.__parentId = parentId;
  out.push(line);
  for (const emit of children) emit();
}

/** A non-connection value: leaves as they are, objects projected inline. */
function shape(value: unknown, type: GraphQLOutputType, group: FieldNode[], fragments: Fragments): unknown {
  if (value === null || value === undefined) return null;
  const inner = getNullableType(type);
  if (isListType(inner)) return (value as unknown[]).map((item) => shape(item, inner.ofType, group, fragments));
  if (isLeafType(getNamedType(inner))) return value;
  const view = value as Record<string, unknown>;
  const out: Line[] = [];
  project(view, merged(group)!, concreteType(view, getNamedType(inner) as GraphQLObjectType), fragments, undefined, out);
  return out[0];
}

export interface BulkResult {
  objectCount: number;
  rootObjectCount: number;
  fileSize: number;
}

/** Streams the bulk query's result to `file`, yielding to the event loop so the emulator keeps answering. */
export async function writeBulkResult(
  context: RequestContext,
  prepared: Prepared,
  file: string,
  cancelled: () => boolean,
): Promise<BulkResult> {
  const root = ROOTS[prepared.rootField.name.value]!;
  const argument = (name: string) => {
    const node = prepared.rootField.arguments?.find((candidate) => candidate.name.value === name);
    return node ? valueFromASTUntyped(node.value) : undefined;
  };
  const query = argument("query");
  const matches = compileSearch(typeof query === "string" ? query : null, root.search).matches;
  const selection = nodeSelection([prepared.rootField], prepared.fragments)!;
  const nodeType = getNamedType(prepared.rootType.getFields().nodes!.type) as GraphQLObjectType;
  const sequence = root.sequence(context);
  const reverse = argument("reverse") === true;

  const stream = createWriteStream(file);
  let streamError: Error | undefined;
  stream.on("error", (error) => (streamError = error));
  let objectCount = 0;
  let rootObjectCount = 0;
  try {
    for (const { item } of sequence.scan(reverse ? sequence.length - 1 : 0, reverse ? -1 : 1)) {
      if (cancelled()) break;
      if (streamError) throw streamError;
      if (!matches(item as never) || (root.visible && !root.visible(context, item as never))) continue;
      const lines: Line[] = [];
      project(root.view(context, item as never), selection, nodeType, prepared.fragments, undefined, lines);
      rootObjectCount++;
      objectCount += lines.length;
      const chunk = lines.map((line) => JSON.stringify(line)).join("\n") + "\n";
      // events.once rejects on 'error' and removes its listeners either way.
      if (!stream.write(chunk)) await once(stream, "drain");
      if (rootObjectCount % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    await new Promise<void>((resolve) => stream.end(() => resolve()));
  }
  if (streamError) throw streamError;
  return { objectCount, rootObjectCount, fileSize: (await stat(file)).size };
}
