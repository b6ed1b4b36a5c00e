// `pretest`: lets `npm test` be the first command on a fresh clone. Runs on whatever Node the
// machine has (npm's own), installs the pinned toolchain with `npm ci` when it is missing,
// generates the Prisma client when it is missing or older than the schema, and installs Debian's
// Chromium for the browser tests (test/e2e) when it is missing and we may. A no-op otherwise.
import { execSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";

const run = (command) => execSync(command, { stdio: "inherit" });

if (!existsSync("node_modules/.bin/node") || !existsSync("node_modules/.bin/vitest")) {
  console.log("First run: installing dependencies (npm ci)…");
  run("npm ci --no-audit --no-fund");
}
const client = "node_modules/.prisma/client/index.js";
if (!existsSync(client) || statSync(client).mtimeMs < statSync("prisma/schema.prisma").mtimeMs) {
  run("npm run --silent prisma:generate");
}
if (
  !process.argv.includes("--no-browser") &&
  !process.env.CHROMIUM_PATH &&
  !existsSync("/usr/bin/chromium") &&
  process.getuid?.() === 0 &&
  existsSync("/usr/bin/apt-get")
) {
  console.log("Installing Debian's Chromium for the browser tests…");
  run("apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium");
}
