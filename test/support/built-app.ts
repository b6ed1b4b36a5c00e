import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { eventually } from "./processes";
import { freePort } from "./services";

// The production path: `npm run build`, then `npm start` (app/server/main.ts) answering real HTTP. The
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
  /** A signal to `npm start`, which relays it to node (as a process manager's would be). */
  signal(name: NodeJS.Signals): void;
  /** npm's exit code, which is node's. */
  exitCode: Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * `npm start` serving `buildDir` on a free port, with this process's environment (the test file's
 * database and queue prefix) plus `extraEnv`, which may depend on the server's own URL.
 */
export async function startBuiltApp(
  buildDir: string,
  extraEnv: (baseUrl: string) => Record<string, string> = () => ({}),
  { waitUntilReady = true }: { waitUntilReady?: boolean } = {},
): Promise<RunningApp> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = { ...process.env, WINBACK_BUILD_DIR: buildDir, PORT: String(port), ...extraEnv(baseUrl) };
  const server: ChildProcess = spawn("npm", ["start"], { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  server.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  server.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exitCode = new Promise<number | null>((resolve) => server.once("exit", (code) => resolve(code)));
  const exited = exitCode.then(() => undefined);

  const stop = async () => {
    // `npm start` execs node in place of its shell; signalling the group reaches npm and node alike.
    const signal = (name: NodeJS.Signals) => {
      try {
        process.kill(-server.pid!, name);
        return true;
      } catch {
        return false; // the group is gone already
      }
    };
    if (!signal("SIGTERM")) return;
    const stopped = await Promise.race([
      exited.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 15_000)),
    ]);
    if (!stopped) {
      signal("SIGKILL");
      throw new Error(`npm start did not exit within 15 s of SIGTERM:\n${output.slice(-2000)}`);
    }
  };

  if (!waitUntilReady) return { baseUrl, output: () => output, signal: (name) => server.kill(name), exitCode, stop };
  await eventually(async () => (await fetch(`${baseUrl}/readyz`).catch(() => null))?.ok, 30_000).catch(async () => {
    await stop().catch(() => {});
    throw new Error(`npm start did not come up:\n${output}`);
  });
  return { baseUrl, output: () => output, signal: (name) => server.kill(name), exitCode, stop };
}
