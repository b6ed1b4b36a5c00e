import { readdir, readFile } from "node:fs/promises";

/**
 * Processes a test run left behind. Every process a test starts inherits the run's marker
 * (`WINBACK_TEST_RUN`, set by integration-env.ts for its file) in its environment, so the run's
 * processes — `npm start`, its node, workers, redis-servers, Chromium — are found by reading
 * /proc, whoever their parent is now (an orphan's is 1).
 */
export const RUN_MARKER = "WINBACK_TEST_RUN";

export interface LeftProcess {
  pid: number;
  command: string;
}

export async function processesOfRun(runId: string): Promise<LeftProcess[]> {
  const marker = Buffer.from(`${RUN_MARKER}=${runId}\0`);
  const found: LeftProcess[] = [];
  for (const entry of await readdir("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const environment = await readFile(`/proc/${pid}/environ`).catch(() => null);
    if (!environment?.includes(marker)) continue;
    const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
    if (/^State:\s+Z/m.test(status)) continue; // a zombie holds no resources; its parent reaps it
    const command = (await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "")).replaceAll("\0", " ").trim();
    found.push({ pid, command: command.slice(0, 160) });
  }
  return found;
}

/** Waits up to `graceMs` for the run's processes to be gone; kills and returns those that are not. */
export async function reapLeftProcesses(runId: string, graceMs = 3_000): Promise<LeftProcess[]> {
  const deadline = Date.now() + graceMs;
  let left = await processesOfRun(runId);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    left = await processesOfRun(runId);
  }
  for (const { pid } of left) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone meanwhile
    }
  }
  return left;
}
