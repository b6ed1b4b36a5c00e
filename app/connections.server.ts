import prisma, { pool } from "./db.server";
import { closeQueues } from "./jobs/client.server";
import { closeRedisConnections } from "./redis.server";

/**
 * Closes what keeps a process alive once its work is done: the queues and every Redis connection,
 * then Prisma and the pg pool. The web process and the worker call it last on SIGTERM.
 */
export async function closeConnections(): Promise<void> {
  await closeQueues();
  await closeRedisConnections();
  await prisma.$disconnect();
  await pool.end();
}
