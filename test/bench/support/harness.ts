import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { migrate } from "../../../prisma/migrate";
import { createDatabase, databaseUrl, deleteQueueKeys, dropDatabases, freePort } from "../../support/services";
import { testAppEnv } from "../../support/test-env";

/**
 * Shared set-up for benchmarks: a scratch database and queue prefix, and long-running processes
 * (the app under `npm start`, baselines) that are always stopped at the end.
 */
export class BenchEnvironment {
  readonly id = randomBytes(3).toString("hex");
  readonly database = `winback_bench_${this.id}`;
  readonly queuePrefix = `bench-${this.id}`;
  /** The app is built here, never over ./build (inside the project: the bundle resolves node_modules upwards). */
  readonly buildDir = (mkdirSync(".cache", { recursive: true }), mkdtempSync(path.resolve(".cache", "bench-build-")));
  private readonly processes: ChildProcess[] = [];
  private readonly closers: (() => Promise<void>)[] = [];

  get appEnv(): Record<string, string> {
    return {
      ...testAppEnv(),
      NODE_ENV: "production",
      LOG_LEVEL: "warn",
      DATABASE_URL: databaseUrl(this.database),
      QUEUE_PREFIX: this.queuePrefix,
      WINBACK_BUILD_DIR: this.buildDir,
    };
  }

  async setUp(): Promise<void> {
    await createDatabase(this.database);
    await migrate(databaseUrl(this.database));
  }

  /** Starts a long-running process and resolves once `ready` answers (or rejects with its output). */
  async startProcess(command: string, args: string[], env: Record<string, string>, ready: () => Promise<boolean>): Promise<ChildProcess> {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"], detached: true });
    let errors = "";
    child.stderr!.on("data", (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-4000)));
    this.processes.push(child);
    const deadline = Date.now() + 30_000;
    while (!(await ready().catch(() => false))) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${command} ${args.join(" ")} did not start:\n${errors}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return child;
  }

  /** Stops a process started here the way a process manager would (SIGTERM), with SIGKILL after 15 s. */
  async stopProcess(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    process.kill(-child.pid!, "SIGTERM");
    const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 15_000);
    await exited;
    clearTimeout(timer);
  }

  /** `npm start` on the production build, on a free port. */
  async startApp(env: Record<string, string> = {}): Promise<{ url: string; stop: () => Promise<void> }> {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = await this.startProcess(
      "npm",
      ["start"],
      { ...this.appEnv, ...env, PORT: String(port) },
      async () => (await fetch(`${url}/readyz`)).ok,
    );
    return { url, stop: () => this.stopProcess(child) };
  }

  async startTsServer(script: string, env: Record<string, string> = {}): Promise<string> {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const tsx = path.resolve("node_modules/tsx/dist/cli.mjs");
    await this.startProcess(process.execPath, [tsx, script], { ...this.appEnv, ...env, PORT: String(port) }, async () => {
      await fetch(url, { method: "POST", body: "" });
      return true;
    });
    return url;
  }

  /**
   * Points the app's modules in this process at the bench's database and queues (they read the
   * environment once, on import), and closes their connections at tearDown.
   */
  async useAppInProcess(extraEnv: Record<string, string> = {}): Promise<void> {
    Object.assign(process.env, this.appEnv, extraEnv);
    const database = await import("../../../app/db.server");
    const queues = await import("../../../app/jobs/client.server");
    this.closers.push(async () => {
      await queues.closeQueues();
      await database.default.$disconnect();
      await database.pool.end().catch(() => {});
    });
  }

  async tearDown(): Promise<void> {
    for (const close of this.closers) await close();
    for (const child of this.processes) await this.stopProcess(child).catch(() => {});
    rmSync(this.buildDir, { recursive: true, force: true });
    await dropDatabases(this.database);
    await deleteQueueKeys(this.queuePrefix);
  }
}

/**
 * `BENCH_CPU_PROF=<dir>`: the environment that makes a Node child write a CPU profile there when
 * it exits (for `node --cpu-prof`-style profiling of the app's processes).
 */
export function cpuProfileEnv(): Record<string, string> {
  const dir = process.env.BENCH_CPU_PROF;
  return dir ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${path.resolve(dir)}` } : {};
}

export function ratioLine(label: string, value: number, baseline: number, target: string): string {
  return `${label}: ${(value / baseline).toFixed(2)}× the baseline (target ${target})`;
}
