import { randomBytes } from "node:crypto";
import { afterAll, inject } from "vitest";
import { RUN_MARKER } from "./leaks";
import { createDatabase, databaseUrl, REDIS_URL } from "./services";
import { testAppEnv } from "./test-env";

// Runs before each integration test file's imports: the file gets a fresh database cloned from
// the migrated template and its own queue prefix. A file may still override a variable with
// vi.hoisted (e.g. to point at a stopped service) because its hoisted code runs after this.
const fileId = randomBytes(4).toString("hex");
const database = `winback_t_${inject("runId")}_${fileId}`;
await createDatabase(database, inject("templateDatabase"));

Object.assign(process.env, testAppEnv(), {
  DATABASE_URL: databaseUrl(database),
  REDIS_URL,
  QUEUE_PREFIX: `t-${inject("runId")}-${fileId}`,
  WORKER_CONCURRENCY: "4",
  // Inherited by every process a test starts, so the run's teardown can tell whether any is left.
  [RUN_MARKER]: inject("runId"),
});

afterAll(async () => {
  const { closeQueues } = await import("../../app/jobs/client.server");
  await closeQueues();
  await (await globalThis.__winbackSendOwner?.catch(() => null))?.client.end();
  await globalThis.__winbackDb?.prisma.$disconnect();
  await globalThis.__winbackDb?.pool.end();
});
