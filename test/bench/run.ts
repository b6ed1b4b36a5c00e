// `npm run bench [name…]`: runs the named benchmarks (all when none is named) and prints ratios
// against baselines measured in the same run. Benchmarks are not tests: they report, not assert.
//
// Each benchmark runs in a child process of its own: the app's modules read the environment and
// open their pools once per process, so a second benchmark in the same process would find the
// first one's database connections closed.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { benchCodes } from "./codes";
import { benchCustomers } from "./customers";
import { benchDashboard } from "./dashboard";
import { benchEmail } from "./email";
import { benchEngine } from "./engine";
import { benchFairness } from "./fairness";
import { benchScale } from "./scale";
import { benchStorage } from "./storage";
import { benchWebhooks } from "./webhooks";

const benchmarks: Record<string, () => Promise<void>> = {
  webhooks: benchWebhooks,
  customers: benchCustomers,
  email: benchEmail,
  engine: benchEngine,
  codes: benchCodes,
  dashboard: benchDashboard,
  storage: benchStorage,
  fairness: benchFairness,
  scale: benchScale,
};

const CHILD_FLAG = "--one";

function runInChild(name: string): Promise<number> {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), CHILD_FLAG, name], { stdio: "inherit" });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on("SIGINT", forward).on("SIGTERM", forward);
  return new Promise((resolve) =>
    child.on("exit", (code, signal) => {
      process.off("SIGINT", forward).off("SIGTERM", forward);
      resolve(code ?? (signal ? 1 : 0));
    }),
  );
}

const args = process.argv.slice(2);
if (args[0] === CHILD_FLAG) {
  await benchmarks[args[1]!]!();
  process.exit(0);
}
const unknown = args.filter((name) => !(name in benchmarks));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(", ")}; available: ${Object.keys(benchmarks).join(", ")}`);
  process.exit(2);
}
let failed = 0;
for (const name of args.length ? args : Object.keys(benchmarks)) {
  if ((await runInChild(name)) !== 0) {
    console.error(`benchmark ${name} failed`);
    failed += 1;
  }
}
process.exit(failed ? 1 : 0);
