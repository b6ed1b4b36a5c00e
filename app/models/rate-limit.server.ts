import { env } from "../env.server";
import { logger } from "../logger.server";
import { createRedisConnection, type RedisConnection } from "../redis.server";

/**
 * Fixed-window counters in Redis for the public endpoints. They fail open: an unsubscribe must
 * work even when Redis does not.
 */

let redis: RedisConnection | undefined;
const connection = () => (redis ??= createRedisConnection("producer"));
const windowKey = (bucket: string, key: string, windowSeconds: number) =>
  `${env.QUEUE_PREFIX}:rate:${bucket}:${key}:${Math.floor(Date.now() / 1000 / windowSeconds)}`;

/** Counts one event; true while the count in this window is within `limit`. */
export async function withinLimit(bucket: string, key: string, limit: number, windowSeconds: number): Promise<boolean> {
  try {
    const name = windowKey(bucket, key, windowSeconds);
    const [[, count]] = (await connection().multi().incr(name).expire(name, windowSeconds).exec()) as [[Error | null, number]];
    return count <= limit;
  } catch (error) {
    logger.warn({ bucket, err: (error as Error).message }, "rate limit unavailable; allowing");
    return true;
  }
}

/** Whether the count in this window already exceeds `limit` (without counting). */
export async function overLimit(bucket: string, key: string, limit: number, windowSeconds: number): Promise<boolean> {
  try {
    return Number(await connection().get(windowKey(bucket, key, windowSeconds))) > limit;
  } catch {
    return false;
  }
}

/**
 * The client's address as the proxy in front of the app reports it: the last X-Forwarded-For
 * entry, the one our proxy appended (earlier entries are whatever the client sent).
 */
export function clientAddress(request: Request): string {
  return request.headers.get("x-forwarded-for")?.split(",").at(-1)?.trim() || "unknown";
}
