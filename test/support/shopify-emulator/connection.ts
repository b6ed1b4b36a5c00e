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

/** The same sequence read from the other end (for `reverse: true`). */
function reversed<T>(sequence: Sequence<T>): Sequence<T> {
  const last = sequence.length - 1;
  return {
    length: sequence.length,
    *scan(from, direction) {
      for (const { position, item } of sequence.scan(last - from, direction === 1 ? -1 : 1)) {
        yield { position: last - position, item };
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

export function encodeCursor(position: number): string {
  return Buffer.from(JSON.stringify({ p: position })).toString("base64url");
}

function decodeCursor(cursor: string): number {
  try {
    const { p } = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { p: unknown };
    if (typeof p === "number" && Number.isInteger(p) && p >= 0) return p;
  } catch {
    // fall through to the error Shopify gives
  }
  throw new GraphQLError("Invalid cursor for current pagination sort.", { extensions: { code: "BAD_REQUEST" } });
}

function firstMatch<T>(sequence: Sequence<T>, from: number, direction: 1 | -1, matches: (item: T) => boolean): boolean {
  for (const { item } of sequence.scan(from, direction)) if (matches(item)) return true;
  return false;
}

export function paginate<T, V>(
  source: Sequence<T>,
  args: PageArgs,
  view: (item: T) => V,
  matches: (item: T) => boolean = () => true,
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
  const sequence = args.reverse ? reversed(source) : source;
  const forward = first != null;
  const start = forward ? (args.after ? decodeCursor(args.after) + 1 : 0) : args.before ? decodeCursor(args.before) - 1 : sequence.length - 1;

  const page: { position: number; item: T }[] = [];
  let more = false;
  if (size > 0) {
    for (const entry of sequence.scan(start, forward ? 1 : -1)) {
      if (!matches(entry.item)) continue;
      if (page.length === size) {
        more = true;
        break;
      }
      page.push(entry);
    }
  } else {
    more = firstMatch(sequence, start, forward ? 1 : -1, matches);
  }
  if (!forward) page.reverse();

  const behind = forward ? start - 1 : start + 1;
  const edges = page.map(({ position, item }) => ({ cursor: encodeCursor(position), node: view(item) }));
  return {
    edges,
    nodes: edges.map((edge) => edge.node),
    pageInfo: {
      hasNextPage: forward ? more : firstMatch(sequence, behind, 1, matches),
      hasPreviousPage: forward ? firstMatch(sequence, behind, -1, matches) : more,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
