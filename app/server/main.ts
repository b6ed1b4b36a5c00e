import cluster, { type Worker } from "node:cluster";
import { availableParallelism } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { installGlobals, type ServerBuild } from "@remix-run/node";
import { env } from "../env.server";
import { logger as rootLogger } from "../logger.server";
import type { WebApp } from "../web.server";
import { createWebServer } from "./http-server";
import { StaticFiles } from "./static-files";

/**
 * The web process (`npm start`): the Remix build served by our own HTTP server, with webhooks
 * answered before Remix, graceful shutdown and `WEB_CONCURRENCY` processes (node:cluster).
 *
 * Shutdown: SIGTERM or SIGINT stops accepting, marks the process not ready, lets requests in
 * flight finish (at most SHUTDOWN_TIMEOUT_MS), closes PostgreSQL, Prisma and Redis, and exits 0;
 * a second signal exits at once with 1. With several processes the primary relays the shutdown to
 * each over IPC (a terminal's Ctrl-C reaches them too; either way each drains once) and exits when
 * all have.
 */

const logger = rootLogger.child({ process: "web" });
const concurrency = env.WEB_CONCURRENCY ?? (env.NODE_ENV === "production" ? availableParallelism() : 1);

/**
 * The first SIGTERM or SIGINT starts `first`; a second one exits at once (a supervisor's own kill
 * timeout stays the last resort). A repeat within half a second is the same request: `npm start`
 * relays the signal it receives, and a terminal's Ctrl-C reaches both npm and node.
 */
const SAME_SIGNAL_MS = 500;

function onSignals(first: (signal: NodeJS.Signals) => void): void {
  let firstAt: number | undefined;
  const handle = (signal: NodeJS.Signals) => {
    const now = Date.now();
    if (firstAt === undefined) {
      firstAt = now;
      first(signal);
    } else if (now - firstAt > SAME_SIGNAL_MS) {
      logger.warn({ signal }, "second signal: exiting without waiting");
      process.exit(1);
    }
  };
  process.on("SIGTERM", handle);
  process.on("SIGINT", handle);
}

/** Stop requests (signals, the primary's message) that may come before the process can act on them. */
function stopRequests() {
  let act: ((reason: string) => void) | undefined;
  let early: string | undefined;
  return {
    request(reason: string) {
      if (act) act(reason);
      else early ??= reason;
    },
    /** From now on `handler` acts, at once if a stop was requested during start-up. */
    handleWith(handler: (reason: string) => void) {
      act = handler;
      if (early) handler(early);
    },
  };
}

async function serve(): Promise<void> {
  // In place before anything slow, so a signal during start-up is not lost.
  const stops = stopRequests();
  onSignals((signal) => stops.request(signal));
  process.on("message", (message) => {
    if (message === "shutdown") stops.request("primary");
  });
  logger.info("web process starting");

  const buildPath = path.resolve(env.WINBACK_BUILD_DIR, "server", "index.js");
  const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild & { entry: { module: { web: WebApp } } };
  installGlobals({ nativeFetch: build.future.v3_singleFetch });
  const web = build.entry.module.web;
  const webServer = createWebServer({ build, web, staticFiles: await StaticFiles.load(build.assetsBuildDirectory), logger });

  let stopping = false;
  stops.handleWith((reason) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason, timeoutMs: env.SHUTDOWN_TIMEOUT_MS }, "draining requests in flight");
    void (async () => {
      const { cut } = await webServer.drain(env.SHUTDOWN_TIMEOUT_MS);
      if (cut > 0) logger.warn({ cut }, "requests still running at the shutdown timeout were cut");
      await web.close();
      logger.info("web process stopped");
      process.exit(0);
    })().catch((error: Error) => {
      logger.error({ err: error.message }, "web shutdown failed");
      process.exit(1);
    });
  });
  if (stopping) return;

  await new Promise<void>((resolve, reject) => {
    webServer.server.once("error", reject);
    webServer.server.listen(env.PORT, () => resolve());
  });
  logger.info({ port: env.PORT }, "web process listening");
}

/** The primary of several web processes: forks them, replaces one that dies, and relays shutdown. */
function supervise(count: number): void {
  let stopping = false;
  const startedAt = new Map<Worker, number>();
  const fork = () => startedAt.set(cluster.fork(), Date.now());

  onSignals((signal) => {
    stopping = true;
    logger.info({ signal, processes: startedAt.size }, "stopping web processes");
    for (const worker of startedAt.keys()) worker.send("shutdown");
    // Each process bounds its own drain; this only catches one that hangs after it.
    setTimeout(() => {
      for (const worker of startedAt.keys()) worker.process.kill("SIGKILL");
      process.exit(1);
    }, env.SHUTDOWN_TIMEOUT_MS + 5_000).unref();
  });

  let failed = false;
  cluster.on("exit", (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker) ?? Date.now());
    startedAt.delete(worker);
    if (stopping) {
      if (code !== 0) failed = true;
      if (startedAt.size === 0) process.exit(failed ? 1 : 0);
      return;
    }
    logger.error({ pid: worker.process.pid, code, signal }, "a web process died; starting another");
    // One that dies at once (a bad build, a port taken) is not restarted in a tight loop.
    setTimeout(fork, lived < 5_000 ? 1_000 : 0);
  });
  for (let i = 0; i < count; i++) fork();
  logger.info({ processes: count }, "web processes starting");
}

if (cluster.isPrimary && concurrency > 1) supervise(concurrency);
else
  serve().catch((error: Error) => {
    logger.fatal({ err: error.message }, "web process could not start");
    process.exit(1);
  });
