/**
 * What each back-fill phase is made of (one module per phase: `customers.ts`, `orders.ts`,
 * `products.ts`): the bulk query Shopify runs, how its JSONL lines fold into rows, and the table
 * those rows are COPY'd into. `import.server.ts` streams any phase; `../backfill.server.ts` runs
 * the phases in order.
 */

/**
 * One line of a bulk operation's JSONL result: a root record, or (with `__parentId`) a record of
 * one of its connections. Lines are parsed JSON; each phase reads them as its query's generated type.
 */
export type JsonlLine = Record<string, unknown> & { id?: string; __parentId?: string };

/** A record of a connection in a bulk result: the node's fields plus the id of its root record. */
export type ChildLine<Node> = Node & { __parentId: string };

/** A root record in a bulk result: the node without its connections (those arrive as child lines). */
export type RootLine<Node, Connections extends keyof Node = never> = Omit<Node, Connections> & { __parentId?: undefined };

/** The table a phase fills and how an imported row updates one it already holds. */
export interface CopyTarget {
  table: string;
  /** The columns each COPY row fills, shop_id first. */
  columns: string;
  /** `ON CONFLICT (shop_id, id) …` for rows the table already holds (a re-import, or a webhook got there first). */
  onConflict: string;
  /** The shop's column counting the records imported in this phase. */
  counter: string;
}

/** The root records of one batch with their children folded in. */
export interface PhaseBatch {
  /** Root records added so far. */
  readonly roots: number;
  add(line: JsonlLine): void;
  /** The batch's rows, each in the order of the target's columns after shop_id. */
  rows(): Iterable<unknown[]>;
}

export interface BackfillPhaseImport {
  /** The GraphQL query given to `bulkOperationRunQuery`, validated against the schema like every other. */
  bulkQuery: string;
  target: CopyTarget;
  newBatch(): PhaseBatch;
}

/** The numeric id at the end of a Shopify GID (`gid://shopify/Customer/42` → "42"). */
export const numericId = (gid: unknown): string | null => (typeof gid === "string" ? (/\/(\d+)$/.exec(gid)?.[1] ?? null) : null);
