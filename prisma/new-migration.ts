import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * `npm run db:migration -- <name> [--from <schema file>]`: writes the SQL that turns the schema
 * as last committed (or the given file) into prisma/schema.prisma, as a new migration.
 * Offline, Prisma can only diff two schema files (PLATFORM.md); the drift test in
 * test/integration/migrate.test.ts checks that the migrations add up to the schema.
 */

const args = process.argv.slice(2);
const name = args[0];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:migration -- <name_in_snake_case> [--from <schema file>]");
  process.exit(2);
}
const fromIndex = args.indexOf("--from");
let baseline = fromIndex >= 0 ? args[fromIndex + 1] : undefined;
if (!baseline) {
  baseline = path.join(tmpdir(), `schema-before-${process.pid}.prisma`);
  writeFileSync(baseline, execFileSync("git", ["show", "HEAD:prisma/schema.prisma"]));
}

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
