import { GraphQLError } from "graphql";

/**
 * Relay connections as Shopify serves them: `first`/`after` or `last`/`before` (at most 250 per
 * page), `reverse`, opaque cursors, `edges`, `nodes` and `pageInfo`. Items come from a sequence
 * that is scanned lazily from a position, so a million-customer store is paged without being
 * materialised; a filter skips items while scanning.
 */

export interface Sequence<T> {
  readonly length: number;
  /** Items from `from` onwards, towards the end (direction 1) or the start (-1). */
  scan(from: number, direction: 1 | -1): Iterable<{ position: number; item: T }>;
}

export function arraySequence<T>(items: readonly T[]): Sequence<T> {
  return {
    length: items.length,
    *scan(from, direction) {
      for (let position = from; position >= 0 && position < items.length; position += direction) {
        yield { position, item: items[position]! };
      }
    },
  };
}

export interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
}

export interface Connection<V> {
  edges: { cursor: string; node: V }[];
  nodes: V[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

export const MAX_PAGE_SIZE = 250;

/** Opaque to clients: the item's position in the underlying sequence and the connection it belongs to. */
export function encodeCursor(position: number, connection: string): string {
  return Buffer.from(JSON.stringify({ p: position, c: connection })).toString("base64url");
}

function decodeCursor(cursor: string, connection: string): number {
  try {
    const { p, c } = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { p: unknown; c: unknown };
    if (typeof p === "number" && Number.isInteger(p) && p >= 0 && c === connection) return p;
  } catch {
    // fall through to the error Shopify gives
  }
  throw new GraphQLError("Invalid cursor for current pagination sort.", { extensions: { code: "BAD_REQUEST" } });
}

function firstMatch<T>(sequence: Sequence<T>, from: number, direction: 1 | -1, matches: (item: T) => boolean): boolean {
  for (const { item } of sequence.scan(from, direction)) if (matches(item)) return true;
  return false;
}

/**
 * One page. `reverse` flips the order the sequence is read in; cursors always hold positions in
 * the underlying sequence, so items added later (at its end) never shift them.
 */
export function paginate<T, V>(
  source: Sequence<T>,
  args: PageArgs,
  view: (item: T) => V,
  matches: (item: T) => boolean = () => true,
  connection = "",
): Connection<V> {
  const { first, last } = args;
  if ((first == null) === (last == null)) {
    throw new GraphQLError("you must provide one of first or last", { extensions: { code: "BAD_REQUEST" } });
  }
  const size = (first ?? last)!;
  if (size < 0 || size > MAX_PAGE_SIZE) {
    throw new GraphQLError(`The ${first != null ? "first" : "last"} argument must be between 0 and ${MAX_PAGE_SIZE}.`, {
      extensions: { code: "BAD_REQUEST" },
    });
  }
  const order: 1 | -1 = args.reverse ? -1 : 1;
  const forward = first != null;
  const beginning = order === 1 ? 0 : source.length - 1;
  const end = order === 1 ? source.length - 1 : 0;
  const start = forward
    ? args.after
      ? decodeCursor(args.after, connection) + order
      : beginning
    : args.before
      ? decodeCursor(args.before, connection) - order
      : end;
  const step = (forward ? order : -order) as 1 | -1;

  const page: { position: number; item: T }[] = [];
  let more = false;
  for (const entry of source.scan(start, step)) {
    if (!matches(entry.item)) continue;
    if (page.length === size) {
      more = true;
      break;
    }
    page.push(entry);
  }
  if (!forward) page.reverse();

  const edges = page.map(({ position, item }) => ({ cursor: encodeCursor(position, connection), node: view(item) }));
  return {
    edges,
    nodes: edges.map((edge) => edge.node),
    pageInfo: {
      hasNextPage: forward ? more : firstMatch(source, start + order, order, matches),
      hasPreviousPage: forward ? firstMatch(source, start - order, -order as 1 | -1, matches) : more,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
