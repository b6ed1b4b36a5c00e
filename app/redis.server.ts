import { Cluster, Redis, type RedisOptions } from "ioredis";
import { env } from "./env.server";
import { logger } from "./logger.server";

/**
 * Redis connections for BullMQ, to one Redis or a Redis Cluster (`REDIS_URL` of the form
 * `redis+cluster://host:port,host:port`, any masters as seeds). Producers (the web app enqueuing
 * work) fail fast: a command waits for at most one reconnect attempt, so a webhook can answer 5xx
 * and let Shopify retry. Workers block and reconnect forever, as BullMQ requires.
 *
 * On a cluster every queue's keys share one hash slot: BullMQ's scripts touch several keys of a
 * queue at once, so each queue's prefix is a hash tag of its own (`queuePrefix` in app/jobs/define.ts),
 * which also spreads the queues over the masters.
 */
export type RedisRole = "producer" | "worker";
export type RedisConnection = Redis | Cluster;

const roleOptions: Record<RedisRole, RedisOptions> = {
  producer: { maxRetriesPerRequest: 1, connectTimeout: 2_000, retryStrategy: (attempt) => Math.min(attempt * 100, 500) },
  worker: { maxRetriesPerRequest: null, enableOfflineQueue: true },
};

/** `redis+cluster://[user:password@]host:port,host:port` (or `rediss+cluster://` for TLS): the seeds and credentials; null for a plain URL. */
export function parseClusterUrl(
  url: string,
): { seeds: { host: string; port: number }[]; username?: string; password?: string; tls: boolean } | null {
  const match = /^(rediss?)\+cluster:\/\/(?:([^@/]*)@)?([^/?#]+)\/?$/.exec(url);
  if (!match) return null;
  const [, scheme, credentials, hosts] = match;
  const seeds = hosts!.split(",").map((hostPort) => {
    const seed = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(hostPort.trim());
    if (!seed) throw new Error(`a cluster seed is host:port, not "${hostPort}"`);
    return { host: seed[1]!, port: Number(seed[2]) };
  });
  const [username, password] = credentials ? credentials.split(":").map(decodeURIComponent) : [];
  return { seeds, username: username || undefined, password, tls: scheme === "rediss" };
}

const opened = new Set<RedisConnection>();

export function createRedisConnection(role: RedisRole, url: string = env.REDIS_URL): RedisConnection {
  const cluster = parseClusterUrl(url);
  const connection = cluster
    ? new Cluster(cluster.seeds, {
        redisOptions: {
          ...roleOptions[role],
          username: cluster.username,
          password: cluster.password,
          ...(cluster.tls ? { tls: {} } : {}),
        },
        // Both reconnect for as long as the process lives (a producer that stopped would answer 503
        // until restarted); a producer's command still fails fast, by its per-request retry limit
        // and the enqueue's own time limit (app/jobs/client.server.ts).
        clusterRetryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
      })
    : new Redis(url, roleOptions[role]);
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
 * is refused, on every master of a cluster. INFO is used instead of CONFIG GET because managed
 * Redis often disables CONFIG.
 */
export async function assertNoEviction(connection: RedisConnection): Promise<void> {
  const servers = connection instanceof Cluster ? await clusterMasters(connection) : [connection];
  for (const server of servers) {
    const info = await server.info("memory");
    const policy = /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
    if (policy !== "noeviction") {
      const where = connection instanceof Cluster ? ` on ${server.options.host}:${server.options.port}` : "";
      throw new RedisPolicyError(
        `Redis maxmemory-policy is "${policy ?? "unknown"}"${where}; BullMQ needs "noeviction" or queued jobs can be evicted. ` +
          `Set "maxmemory-policy noeviction" in redis.conf (or run CONFIG SET maxmemory-policy noeviction).`,
      );
    }
  }
}

async function clusterMasters(cluster: Cluster): Promise<Redis[]> {
  if (cluster.status !== "ready")
    await new Promise<void>((resolve, reject) => {
      cluster.once("ready", () => resolve());
      cluster.once("error", reject);
    });
  return cluster.nodes("master");
}
