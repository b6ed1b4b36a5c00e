import { execute } from "../db.server";
import { createRedisConnection, type RedisConnection } from "../redis.server";
import { withTimeout } from "../utils/timeout";

export interface Health {
  ok: boolean;
  checks: { postgres: "ok" | "unreachable"; redis: "ok" | "unreachable" };
}

const CHECK_TIMEOUT_MS = 2_000;
let redis: RedisConnection | undefined;

export async function checkHealth(): Promise<Health> {
  redis ??= createRedisConnection("producer");
  const connection = redis;
  const [postgres, redisCheck] = await Promise.all([probe(() => execute("SELECT 1")), probe(() => connection.ping())]);
  return { ok: postgres === "ok" && redisCheck === "ok", checks: { postgres, redis: redisCheck } };
}

async function probe(check: () => Promise<unknown>): Promise<"ok" | "unreachable"> {
  try {
    await withTimeout(check(), CHECK_TIMEOUT_MS, "health check timed out");
    return "ok";
  } catch {
    return "unreachable";
  }
}
