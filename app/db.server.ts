import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import pg from "pg";
import { env } from "./env.server";

/**
 * One PostgreSQL pool per process, shared by Prisma (through its pg adapter) and by the few
 * statements that go to `pg` directly: hot paths and set-based SQL over many rows, where
 * Prisma's query compiler costs more than the query itself.
 */

declare global {
  // Kept on globalThis so Vite's dev-server reloads do not open a new pool each time.
  var __winbackDb: { pool: pg.Pool; prisma: PrismaClient } | undefined;
}

function connect() {
  const pool = new pg.Pool({
    connectionString: env.DATABASE_URL,
    max: env.DATABASE_POOL_SIZE,
    // pg waits forever for a connection by default; a webhook must answer within Shopify's 5 s.
    connectionTimeoutMillis: 3_000,
  });
  // An idle client losing its connection (e.g. PostgreSQL restarting) must not crash the process.
  pool.on("error", () => {});
  return { pool, prisma: new PrismaClient({ adapter: new PrismaPg(pool) }) };
}

const db = (globalThis.__winbackDb ??= connect());

export const pool = db.pool;
export default db.prisma;

/** Where SQL runs: the pool, the one connection of a transaction (`inTransaction`), or a session connection (`openSessionConnection`). */
export type Db = pg.Pool | pg.ClientBase;

/**
 * A connection of its own, outside the pool, for session state that must last as long as the
 * process: an advisory lock whose release tells other processes this one is gone
 * (app/models/send-owner.server.ts). The caller ends it; its errors are the caller's to watch.
 */
export async function openSessionConnection(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: env.DATABASE_URL, connectionTimeoutMillis: 3_000 });
  client.on("error", () => {}); // a lost connection must not crash the process; the caller sees "end"
  await client.connect();
  return client;
}

const camelCaseNames = new Map<string, string>();
function camelCase(name: string): string {
  let camel = camelCaseNames.get(name);
  if (camel === undefined) {
    camel = name.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
    camelCaseNames.set(name, camel);
  }
  return camel;
}

function camelCaseRows<Row>(result: pg.QueryResult): Row[] {
  const names = result.fields.map((field) => [field.name, camelCase(field.name)] as const);
  if (names.every(([name, camel]) => name === camel)) return result.rows as Row[];
  return result.rows.map((raw: Record<string, unknown>) => {
    const row: Record<string, unknown> = {};
    for (const [name, camel] of names) row[camel] = raw[name];
    return row as Row;
  });
}

/**
 * The one way to run SQL (README "Architecture", "Adding a query"): the statement, its
 * parameters and its row type side by side at the call site. Columns come back camelCased
 * (`shop_id` → `shopId`), so row types read like the rest of the code. PostgreSQL's `bigint`
 * arrives as a string, `numeric` as a string, timestamps as `Date`.
 */
export async function queryRows<Row>(sql: string, params: readonly unknown[] = [], db: Db = pool): Promise<Row[]> {
  return camelCaseRows<Row>(await db.query(sql, params as unknown[]));
}

/** The first row of `queryRows`, or undefined when there is none. */
export async function queryRow<Row>(sql: string, params: readonly unknown[] = [], db: Db = pool): Promise<Row | undefined> {
  return (await queryRows<Row>(sql, params, db))[0];
}

/** A statement whose rows nobody reads (INSERT, UPDATE, DELETE without RETURNING): how many rows it touched. */
export async function execute(sql: string, params: readonly unknown[] = [], db: Db = pool): Promise<number> {
  return (await db.query(sql, params as unknown[])).rowCount ?? 0;
}

/** Runs `work` in one transaction on one pooled connection: committed if it resolves, rolled back if it throws. */
export async function inTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
