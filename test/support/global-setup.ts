import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import { migrate } from "../../prisma/migrate";
import { createDatabase, databaseUrl, deleteRedisKeys, dropDatabases, REDIS_URL, withAdminClient } from "./services";
import { Redis } from "ioredis";

declare module "vitest" {
  export interface ProvidedContext {
    runId: string;
    templateDatabase: string;
  }
}

/**
 * Once per `npm test`: check PostgreSQL and Redis are up, migrate a template database that every
 * integration test file clones, and clean up this run's databases and Redis keys at the end.
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
    await dropDatabases(`winback_t_${runId}_%`);
    await dropDatabases(templateDatabase);
    await deleteRedisKeys(`t-${runId}-*`);
  };
}
