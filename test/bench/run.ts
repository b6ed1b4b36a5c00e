// `npm run bench [name…]`: runs the named benchmarks (all when none is named) and prints ratios
// against baselines measured in the same run. Benchmarks are not tests: they report, not assert.
import { benchCodes } from "./codes";
import { benchCustomers } from "./customers";
import { benchDashboard } from "./dashboard";
import { benchEmail } from "./email";
import { benchEngine } from "./engine";
import { benchWebhooks } from "./webhooks";

const benchmarks: Record<string, () => Promise<void>> = {
  webhooks: benchWebhooks,
  customers: benchCustomers,
  email: benchEmail,
  engine: benchEngine,
  codes: benchCodes,
  dashboard: benchDashboard,
};

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !(name in benchmarks));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(", ")}; available: ${Object.keys(benchmarks).join(", ")}`);
  process.exit(2);
}
for (const name of requested.length ? requested : Object.keys(benchmarks)) {
  await benchmarks[name]!();
}
process.exit(0);
