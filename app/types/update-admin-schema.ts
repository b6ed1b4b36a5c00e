import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

/**
 * `npm run schema:admin`: reproduces admin-2026-10.schema.json, Shopify's published Admin API
 * introspection for 2026-10, byte for byte from the npm package that ships it. The package pulls
 * ~370 MB of dependencies, so it is fetched with `npm pack` (no install) and only the one file is
 * taken out of the tarball. The file is committed (Shopify's own convention); codegen, the
 * contract test and the local Admin API emulator all read it, and a test checks its checksum.
 */

export const SCHEMA_PACKAGE = "@shopify/dev-mcp@1.16.0";
export const SCHEMA_ENTRY = "package/dist/data/admin_2026-10.json.gz";
export const SCHEMA_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), "admin-2026-10.schema.json");
/** SHA-256 of the file as the package ships it (gunzipped). */
export const SCHEMA_SHA256 = "6be93b48f31eaa37b1d1d32a753ce605d4036892271d213c7852fa06b409e9d3";

export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function main(): void {
  const work = mkdtempSync(path.join(tmpdir(), "admin-schema-"));
  try {
    const tarball = execFileSync("npm", ["pack", SCHEMA_PACKAGE, "--pack-destination", work, "--silent"], { encoding: "utf8" }).trim();
    execFileSync("tar", ["-xzf", path.join(work, tarball), "-C", work, SCHEMA_ENTRY]);
    const schema = gunzipSync(readFileSync(path.join(work, SCHEMA_ENTRY)));
    const digest = sha256(schema);
    if (digest !== SCHEMA_SHA256) {
      console.error(
        `${SCHEMA_PACKAGE} ships a schema with SHA-256 ${digest}, not ${SCHEMA_SHA256}. If the version changed on purpose, update SCHEMA_SHA256.`,
      );
      process.exit(1);
    }
    writeFileSync(SCHEMA_FILE, schema);
    console.log(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)} (${schema.length} bytes, sha256 ${digest})`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
