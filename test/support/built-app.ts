import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { eventually } from "./processes";
import { freePort } from "./services";

// The production path: `npm run build`, then `npm start` (remix-serve) answering real HTTP. The
// build goes to a scratch directory so a build someone is serving from ./build stays intact; it
// sits inside the project (.cache/, git-ignored) because the bundle resolves node_modules upwards.

const run = promisify(execFile);

/** Builds the app into a new scratch directory under .cache/ and returns its path. */
export async function buildApp(): Promise<string> {
  await mkdir(".cache", { recursive: true });
  const buildDir = await mkdtemp(path.resolve(".cache", "build-"));
  try {
    await run("npm", ["run", "build"], { env: { ...process.env, WINBACK_BUILD_DIR: buildDir }, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    await rm(buildDir, { recursive: true, force: true });
    throw error;
  }
  return buildDir;
}

export interface RunningApp {
  baseUrl: string;
  /** What the server printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * `npm start` serving `buildDir` on a free port, with this process's environment (the test file's
 * database and queue prefix) plus `extraEnv`, which may depend on the server's own URL.
 */
export async function startBuiltApp(
  buildDir: string,
  extraEnv: (baseUrl: string) => Record<string, string> = () => ({}),
): Promise<RunningApp> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = { ...process.env, WINBACK_BUILD_DIR: buildDir, PORT: String(port), ...extraEnv(baseUrl) };
  const server: ChildProcess = spawn("npm", ["start"], { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  server.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  server.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const groupAlive = () => {
    try {
      process.kill(-server.pid!, 0);
      return true;
    } catch {
      return false;
    }
  };

  const stop = async () => {
    // npm starts remix-serve as a child; signal the whole group (which may outlive npm itself).
    try {
      process.kill(-server.pid!, "SIGTERM");
    } catch {
      return; // the group is gone already
    }
    // remix-serve closes its HTTP server on SIGTERM but stays up while the app holds connections
    // (Redis, once a route has queued a job): whatever is left after the grace period is killed.
    const deadline = Date.now() + 2_000;
    while (groupAlive() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    if (groupAlive()) process.kill(-server.pid!, "SIGKILL");
  };

  await eventually(async () => (await fetch(`${baseUrl}/healthz`).catch(() => null))?.ok, 30_000).catch(async () => {
    await stop();
    throw new Error(`npm start did not come up:\n${output}`);
  });
  return { baseUrl, output: () => output, stop };
}
