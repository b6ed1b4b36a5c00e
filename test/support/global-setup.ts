import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import { migrate } from "../../prisma/migrate";
import { reapLeftProcesses } from "./leaks";
import { createDatabase, databaseUrl, deleteQueueKeys, dropDatabases, REDIS_URL, withAdminClient } from "./services";
import { Redis } from "ioredis";

declare module "vitest" {
  export interface ProvidedContext {
    runId: string;
    templateDatabase: string;
  }
}

/**
 * Once per `npm test`: check PostgreSQL and Redis are up, migrate a template database that every
 * integration test file clones, and clean up this run's databases and Redis keys at the end. The
 * run fails if a process a test started is still running then (`leaks.ts`).
 */
export default async function setup(project: TestProject) {
  const runId = randomBytes(3).toString("hex");
  const templateDatabase = `winback_tpl_${runId}`;

  await withAdminClient(async (client) => client.query("SELECT 1")).catch((error: Error) => {
    throw new Error(
      `PostgreSQL is not reachable (${error.message}). Start it with: ` +
        "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
    );
  });
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0 });
  await redis
    .connect()
    .then(() => redis.ping())
    .catch((error: Error) => {
      throw new Error(
        `Redis is not reachable (${error.message}). Start it with: ` +
          'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no',
      );
    })
    .finally(() => redis.disconnect());

  await createDatabase(templateDatabase);
  await migrate(databaseUrl(templateDatabase));
  project.provide("runId", runId);
  project.provide("templateDatabase", templateDatabase);

  return async () => {
    // Processes first: a server left running holds connections to the databases dropped next.
    const left = await reapLeftProcesses(runId);
    await dropDatabases(`winback_t_${runId}_%`);
    await dropDatabases(templateDatabase);
    await deleteQueueKeys(`t-${runId}-`);
    if (left.length > 0) {
      // Vitest reports an error thrown here but still exits 0; the exit code makes it fail the run.
      process.exitCode = 1;
      throw new Error(
        `${left.length} process(es) started by the tests were still running (now killed):\n` +
          left.map(({ pid, command }) => `  ${pid} ${command}`).join("\n"),
      );
    }
  };
}
