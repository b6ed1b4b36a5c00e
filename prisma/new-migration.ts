import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDatabaseIfMissing } from "./migrate";

/**
 * `npm run db:migration -- <name> [--from <schema file>]`: writes the SQL that turns the schema
 * as it stood at the last committed migration (or the given file) into prisma/schema.prisma.
 * Offline, Prisma can only diff two schema files (PLATFORM.md); the drift test in
 * test/integration/migrate.test.ts checks that the migrations add up to the schema.
 * Commit each migration together with its schema change, so the next baseline is right.
 */

const args = process.argv.slice(2);
const name = args[0];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:migration -- <name_in_snake_case> [--from <schema file>]");
  process.exit(2);
}
const fromIndex = args.indexOf("--from");
const git = (...gitArgs: string[]) => execFileSync("git", gitArgs, { encoding: "utf8" });
let baseline = fromIndex >= 0 ? args[fromIndex + 1] : undefined;
if (!baseline) {
  const uncommitted = git("status", "--porcelain", "--untracked-files=all", "prisma/migrations").trim();
  if (uncommitted) {
    console.error(`Uncommitted migrations exist; commit them with their schema change first:\n${uncommitted}`);
    process.exit(1);
  }
  // The schema as it stood when the latest migration was committed.
  const lastMigrationCommit = git("log", "-1", "--format=%H", "--", "prisma/migrations").trim();
  baseline = path.join(tmpdir(), `schema-before-${process.pid}.prisma`);
  writeFileSync(baseline, git("show", `${lastMigrationCommit}:prisma/schema.prisma`));
}

// Prisma's diff never touches the database but insists on connecting to the configured one.
await createDatabaseIfMissing(process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/winback");
const sql = execFileSync(
  "prisma",
  ["migrate", "diff", "--from-schema-datamodel", baseline, "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
  { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
);
if (!sql.split("\n").some((line) => line.trim() && !line.startsWith("--"))) {
  console.log("prisma/schema.prisma has no changes against the baseline; no migration written.");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = path.join("prisma", "migrations", `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, "migration.sql"), sql);
console.log(`wrote ${dir}/migration.sql — read it, then \`npm run db:migrate\``);
