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
