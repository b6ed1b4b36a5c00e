import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { beforeEach, describe, expect, inject, it } from "vitest";
import { createDatabaseIfMissing, migrate, MIGRATIONS_DIR } from "../../prisma/migrate";
import { createDatabase, databaseUrl } from "../support/services";

const run = promisify(execFile);
let scratchUrl: string;
let migrationsDir: string;

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function addMigration(name: string, sql: string): Promise<void> {
  await mkdir(path.join(migrationsDir, name), { recursive: true });
  await writeFile(path.join(migrationsDir, name, "migration.sql"), sql);
}

/** Tables, columns, indexes and constraints of the public schema, in a comparable form. */
async function catalog(url: string) {
  return query(
    url,
    `SELECT 'column' AS kind, table_name || '.' || column_name AS name,
            data_type || '|' || is_nullable || '|' || coalesce(column_default, '') AS definition
       FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
     UNION ALL
     SELECT 'index', indexname, indexdef FROM pg_indexes
      WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'
     UNION ALL
     SELECT 'constraint', conname, pg_get_constraintdef(c.oid) FROM pg_constraint c
       JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE n.nspname = 'public' AND conrelid::regclass::text <> '_prisma_migrations'
     ORDER BY 1, 2`,
  );
}

// Scratch databases carry this run's prefix, so the global teardown drops them.
beforeEach(async () => {
  const name = `winback_t_${inject("runId")}_mig_${randomBytes(4).toString("hex")}`;
  await createDatabase(name);
  scratchUrl = databaseUrl(name);
  migrationsDir = await mkdtemp(path.join(tmpdir(), "winback-migrations-"));
});

describe("migration runner", () => {
  it("applies pending migrations in name order, each recorded like Prisma records it", async () => {
    await addMigration("20260102000000_second", "ALTER TABLE things ADD COLUMN colour text;");
    await addMigration("20260101000000_first", "CREATE TABLE things (id int PRIMARY KEY);");

    const result = await migrate(scratchUrl, migrationsDir);

    expect(result.applied).toEqual(["20260101000000_first", "20260102000000_second"]);
    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
      scratchUrl,
      `SELECT migration_name, checksum, finished_at, applied_steps_count FROM _prisma_migrations ORDER BY started_at, migration_name`,
    );
    expect(rows.map((row) => row.migration_name)).toEqual(["20260101000000_first", "20260102000000_second"]);
    expect(rows.every((row) => /^[0-9a-f]{64}$/.test(row.checksum) && row.finished_at && row.applied_steps_count === 1)).toBe(true);
    expect(await query(scratchUrl, "SELECT colour FROM things")).toEqual([]);
  });

  it("is a no-op the second time", async () => {
    await addMigration("20260101000000_first", "CREATE TABLE things (id int PRIMARY KEY);");
    await migrate(scratchUrl, migrationsDir);

    const again = await migrate(scratchUrl, migrationsDir);

    expect(again).toEqual({ applied: [], alreadyApplied: 1 });
  });

  it("refuses to run when an applied migration was edited, and applies nothing", async () => {
    await addMigration("20260101000000_first", "CREATE TABLE things (id int PRIMARY KEY);");
    await migrate(scratchUrl, migrationsDir);
    await addMigration("20260101000000_first", "CREATE TABLE things (id bigint PRIMARY KEY);");
    await addMigration("20260102000000_second", "CREATE TABLE others (id int);");

    await expect(migrate(scratchUrl, migrationsDir)).rejects.toThrow(
      /Migration 20260101000000_first was edited after it was applied \(checksum in the database [0-9a-f]{12}…, file [0-9a-f]{12}…\)/,
    );
    expect(await query(scratchUrl, "SELECT to_regclass('others') AS t")).toEqual([{ t: null }]);
  });

  it("refuses a database that holds a migration this code does not have", async () => {
    await addMigration("20260101000000_first", "CREATE TABLE things (id int PRIMARY KEY);");
    await migrate(scratchUrl, migrationsDir);
    const olderCode = await mkdtemp(path.join(tmpdir(), "winback-migrations-"));

    await expect(migrate(scratchUrl, olderCode)).rejects.toThrow(/is applied in the database but missing/);
  });

  it("rolls a failing migration back completely and records nothing", async () => {
    await addMigration("20260101000000_first", "CREATE TABLE things (id int PRIMARY KEY);");
    await addMigration("20260102000000_broken", "CREATE TABLE halfway (id int); SELECT no_such_function();");

    await expect(migrate(scratchUrl, migrationsDir)).rejects.toThrow(
      /Migration 20260102000000_broken failed and was rolled back: function no_such_function\(\) does not exist/,
    );
    expect(await query(scratchUrl, "SELECT to_regclass('halfway') AS t")).toEqual([{ t: null }]);
    expect(await query(scratchUrl, "SELECT migration_name FROM _prisma_migrations")).toEqual([{ migration_name: "20260101000000_first" }]);
  });

  it("lets only one of two concurrent runs apply a migration", async () => {
    // Not idempotent on purpose: applied twice, it would fail on the existing table.
    await addMigration("20260101000000_first", "CREATE TABLE things (id int PRIMARY KEY); SELECT pg_sleep(0.3);");

    const [a, b] = await Promise.all([migrate(scratchUrl, migrationsDir), migrate(scratchUrl, migrationsDir)]);

    expect([a.applied.length, b.applied.length].sort()).toEqual([0, 1]);
    expect(await query(scratchUrl, "SELECT count(*)::int AS n FROM _prisma_migrations")).toEqual([{ n: 1 }]);
  });

  it("creates the database named in the URL when it is missing", async () => {
    const url = databaseUrl(`winback_t_${inject("runId")}_new_${randomBytes(3).toString("hex")}`);
    expect(await createDatabaseIfMissing(url)).toBe(true);
    expect(await createDatabaseIfMissing(url)).toBe(false);
    expect(await migrate(url, migrationsDir)).toEqual({ applied: [], alreadyApplied: 0 });
  });
});

describe("the project's migrations", () => {
  it("build exactly the schema in prisma/schema.prisma (no drift)", async () => {
    await migrate(scratchUrl);

    // Prisma's full script for the current schema, applied to a second empty database.
    const { stdout } = await run(
      path.resolve("node_modules/.bin/prisma"),
      ["migrate", "diff", "--from-empty", "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
      { env: { ...process.env, DATABASE_URL: scratchUrl } },
    );
    const fromSchema = `winback_t_${inject("runId")}_schema_${randomBytes(3).toString("hex")}`;
    await createDatabase(fromSchema);
    await query(databaseUrl(fromSchema), stdout);

    expect(await catalog(scratchUrl)).toEqual(await catalog(databaseUrl(fromSchema)));
  });

  it("use Prisma's layout: <timestamp>_<name>/migration.sql and a lock file", async () => {
    const lock = await readFile(path.join(MIGRATIONS_DIR, "migration_lock.toml"), "utf8");
    expect(lock).toContain('provider = "postgresql"');
    const names = (await readdir(MIGRATIONS_DIR)).filter((name) => name !== "migration_lock.toml");
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name).toMatch(/^\d{14}_[a-z0-9_]+$/);
  });
});
