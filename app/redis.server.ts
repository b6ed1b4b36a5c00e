import { Redis, type RedisOptions } from "ioredis";
import { env } from "./env.server";
import { logger } from "./logger.server";

/**
 * Redis connections for BullMQ. Producers (the web app enqueuing work) fail fast: a command waits
 * for at most one reconnect attempt, so a webhook can answer 5xx and let Shopify retry. Workers
 * block and reconnect forever, as BullMQ requires.
 */
export type RedisRole = "producer" | "worker";

const roleOptions: Record<RedisRole, RedisOptions> = {
  producer: { maxRetriesPerRequest: 1, connectTimeout: 2_000, retryStrategy: (attempt) => Math.min(attempt * 100, 500) },
  worker: { maxRetriesPerRequest: null, enableOfflineQueue: true },
};

const opened = new Set<Redis>();

export function createRedisConnection(role: RedisRole, url: string = env.REDIS_URL): Redis {
  const connection = new Redis(url, roleOptions[role]);
  opened.add(connection);
  connection.once("end", () => opened.delete(connection));
  // ioredis emits an error per reconnect attempt; report the transition once, not every retry.
  let healthy = true;
  connection.on("error", (error: Error) => {
    if (healthy) logger.warn({ role, err: error.message }, "redis connection lost");
    healthy = false;
  });
  connection.on("ready", () => {
    if (!healthy) logger.info({ role }, "redis connection restored");
    healthy = true;
  });
  return connection;
}

/** Closes every connection this process opened (on shutdown): sends what is queued, then QUIT. */
export async function closeRedisConnections(): Promise<void> {
  await Promise.all(
    [...opened].map(async (connection) => {
      opened.delete(connection);
      // QUIT needs a live connection; one that is reconnecting is simply dropped.
      if (connection.status === "ready") await connection.quit().catch(() => connection.disconnect());
      else connection.disconnect();
    }),
  );
}

export class RedisPolicyError extends Error {
  override name = "RedisPolicyError";
}

/**
 * BullMQ loses jobs when Redis evicts keys under memory pressure, so anything but `noeviction`
 * is refused. INFO is used instead of CONFIG GET because managed Redis often disables CONFIG.
 */
export async function assertNoEviction(connection: Redis): Promise<void> {
  const info = await connection.info("memory");
  const policy = /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
  if (policy !== "noeviction") {
    throw new RedisPolicyError(
      `Redis maxmemory-policy is "${policy ?? "unknown"}"; BullMQ needs "noeviction" or queued jobs can be evicted. ` +
        `Set "maxmemory-policy noeviction" in redis.conf (or run CONFIG SET maxmemory-policy noeviction).`,
    );
  }
}
