// Runs back-fill steps for the customers benchmark in a process of its own, so that its peak RSS is
// the import's alone (the emulator serving the JSONL lives in the parent).
// argv[2]: {"shopId": 1, "imports": [{"phase": "customers", "url": "http://…"}], "finish": false}
// Prints one JSON line: seconds per step and the process's peak RSS in MB.
import { pool } from "../../../app/db.server";
import { computeAggregatesAndScores } from "../../../app/models/backfill.server";
import { importBulkResult } from "../../../app/models/backfill/import.server";
import type { BackfillPhase } from "../../../app/models/backfill/phases";

interface Task {
  shopId: number;
  imports: { phase: BackfillPhase; url: string }[];
  finish: boolean;
}

const task = JSON.parse(process.argv[2]!) as Task;
const seconds: Record<string, number> = {};
const timed = async (label: string, work: () => Promise<void>) => {
  const start = performance.now();
  await work();
  seconds[label] = (performance.now() - start) / 1000;
};

for (const { phase, url } of task.imports) await timed(phase, () => importBulkResult(task.shopId, phase, url));
if (task.finish) await timed("aggregatesAndScores", () => computeAggregatesAndScores(task.shopId));
await pool.end();
process.stdout.write(`${JSON.stringify({ seconds, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
process.exit(0);
