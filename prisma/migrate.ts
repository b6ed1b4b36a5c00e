import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import pg from "pg";

/**
 * Applies prisma/migrations/<name>/migration.sql in name order, the way `prisma migrate deploy`
 * would, without Prisma's native schema engine (not downloadable here; PLATFORM.md).
 *
 * - Each migration runs in one transaction together with its `_prisma_migrations` row, so it is
 *   either fully applied and recorded or not at all.
 * - Runs hold Prisma's own advisory lock (72707369): concurrent runs, ours or Prisma's, queue up.
 * - An applied migration whose file changed (SHA-256 checksum, as Prisma records it) or vanished
 *   stops the run before anything is applied: the database and the code disagree.
 */

export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");
const PRISMA_ADVISORY_LOCK_ID = 72707369;
const LOCK_WAIT = "10min";

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  override name = "MigrationError";
}

export async function readMigrations(dir: string = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

export async function migrate(connectionString: string, dir: string = MIGRATIONS_DIR): Promise<MigrateResult> {
  const migrations = await readMigrations(dir);
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(`SET lock_timeout = '${LOCK_WAIT}'`);
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_ADVISORY_LOCK_ID]);
    await client.query("SET lock_timeout = 0");
    try {
      return await applyPending(client, migrations);
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_ADVISORY_LOCK_ID]);
    }
  } finally {
    await client.end();
  }
}

async function applyPending(client: pg.Client, migrations: MigrationFile[]): Promise<MigrateResult> {
  // The same table Prisma creates, so `prisma migrate status/resolve` can read our history.
  await client.query(`
    CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum"            VARCHAR(64) NOT NULL,
      "finished_at"         TIMESTAMPTZ,
      "migration_name"      VARCHAR(255) NOT NULL,
      "logs"                TEXT,
      "rolled_back_at"      TIMESTAMPTZ,
      "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    )`);
  const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
    `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
  );
  const byName = new Map(migrations.map((migration) => [migration.name, migration]));

  for (const row of rows) {
    if (row.finished_at === null) {
      throw new MigrationError(
        `Migration ${row.migration_name} started earlier and did not finish. Repair the database, then mark it ` +
          `with \`prisma migrate resolve --applied|--rolled-back ${row.migration_name}\`.`,
      );
    }
    const file = byName.get(row.migration_name);
    if (!file) {
      throw new MigrationError(
        `Migration ${row.migration_name} is applied in the database but missing from ${MIGRATIONS_DIR}; ` +
          `this code is older than the database.`,
      );
    }
    if (file.checksum !== row.checksum) {
      throw new MigrationError(
        `Migration ${row.migration_name} was edited after it was applied (checksum in the database ` +
          `${row.checksum.slice(0, 12)}…, file ${file.checksum.slice(0, 12)}…). Applied migrations must not ` +
          `change; restore the file and put the change in a new migration.`,
      );
    }
  }

  const appliedNames = new Set(rows.map((row) => row.migration_name));
  const pending = migrations.filter((migration) => !appliedNames.has(migration.name));
  for (const migration of pending) {
    try {
      await client.query("BEGIN");
      await client.query(migration.sql);
      await client.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
         VALUES ($1, $2, $3, now(), now(), 1)`,
        [randomUUID(), migration.checksum, migration.name],
      );
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK");
      throw new MigrationError(`Migration ${migration.name} failed and was rolled back: ${(error as Error).message}`);
    }
  }
  return { applied: pending.map((migration) => migration.name), alreadyApplied: rows.length };
}

/** Creates the database named in the URL when it does not exist yet (local and CI setups). */
export async function createDatabaseIfMissing(connectionString: string): Promise<boolean> {
  const url = new URL(connectionString);
  const database = decodeURIComponent(url.pathname.slice(1));
  url.pathname = "/postgres";
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (rowCount) return false;
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
    return true;
  } catch (error) {
    // Another process created it between the check and the CREATE.
    if ((error as { code?: string }).code === "42P04") return false;
    throw error;
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) {
    console.error("DATABASE_URL is missing; expected a PostgreSQL URL, e.g. postgresql://postgres@127.0.0.1:5432/winback");
    process.exit(1);
  }
  try {
    if (await createDatabaseIfMissing(connectionString)) console.log("created the database");
    const result = await migrate(connectionString);
    console.log(
      result.applied.length
        ? `applied ${result.applied.length} migration(s): ${result.applied.join(", ")}`
        : `database is up to date (${result.alreadyApplied} migration(s) applied earlier)`,
    );
  } catch (error) {
    console.error(error instanceof MigrationError ? error.message : error);
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main();
}
