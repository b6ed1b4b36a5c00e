// `npm run demo`: the whole product with one command (README "Quick start"). Options through the
// environment: DEMO_CUSTOMERS (default 5000), DEMO_SECONDS_PER_DAY (default 6: three weeks of the
// campaign in about two minutes). Leaves no process running; can be run again (it starts afresh).
import { execSync } from "node:child_process";
import { migrate } from "../../prisma/migrate";
import { createDatabase, databaseUrl, deleteQueueKeys, dropDatabases, REDIS_URL } from "../support/services";
import { runDemo, summaryTable } from "./demo";

const DATABASE = "winback_demo";
const QUEUE_PREFIX = "winback-demo";
const OUTBOX = ".outbox/demo";

function ensureServices(): void {
  const up = (check: string) => {
    try {
      execSync(check, { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  };
  if (!up("pg_isready -h 127.0.0.1 -p 5432 -q"))
    execSync('pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start', { stdio: "inherit" });
  if (!up("redis-cli -h 127.0.0.1 -p 6379 ping"))
    execSync('redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no', { stdio: "inherit" });
  for (let i = 0; i < 50 && !(up("pg_isready -h 127.0.0.1 -p 5432 -q") && up("redis-cli -h 127.0.0.1 -p 6379 ping")); i++)
    execSync("sleep 0.2");
}

const started = Date.now();
const log = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}`);
const abort = new AbortController();
// Every Ctrl-C is ours (a second one must not kill this process before its children are stopped).
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (abort.signal.aborted) return log("Still stopping the demo's processes…");
    log("Stopping…");
    abort.abort(new Error("stopped"));
  });
}

ensureServices();
log("A fresh database and queues for the demo");
await dropDatabases(DATABASE);
await createDatabase(DATABASE);
await migrate(databaseUrl(DATABASE));
await deleteQueueKeys(QUEUE_PREFIX);

try {
  const summary = await runDemo({
    customers: Number(process.env.DEMO_CUSTOMERS ?? 5000),
    secondsPerDay: Number(process.env.DEMO_SECONDS_PER_DAY ?? 6),
    days: 18,
    seed: "demo",
    env: { DATABASE_URL: databaseUrl(DATABASE), REDIS_URL, QUEUE_PREFIX },
    outboxDir: OUTBOX,
    log,
    signal: abort.signal,
  });
  console.log(`\nWin-back demo on ${summary.shop}\n\n${summaryTable(summary)}\n`);
  console.log(`Where to look:
  - the ${summary.emails.toLocaleString("en-US")} e-mails as sent (.eml files, open them in a mail app): ${summary.outbox}
  - the data: psql ${databaseUrl(DATABASE)} (kept until the next run)
  - the app ran at ${summary.appUrl} (embedded in Shopify Admin it needs a session token; the tests open it in Chromium)`);
  process.exit(0);
} catch (error) {
  if (abort.signal.aborted) {
    log("Stopped; every process of the demo has ended.");
    process.exit(130);
  }
  console.error(error);
  process.exit(1);
}
