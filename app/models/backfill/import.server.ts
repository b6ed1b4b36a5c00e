import { copyIn, copyLine } from "../../db-copy.server";
import { execute, inTransaction } from "../../db.server";
import type { JsonlLine, PhaseBatch } from "./phase";
import { PHASES, type BackfillPhase } from "./phases";

/**
 * Streams one bulk operation's JSONL result into its phase's table. Batches are COPY'd and
 * committed together with the count of lines done, so a restart resumes exactly after the last
 * committed line.
 */

/** Root records per committed batch. */
export const BATCH_SIZE = 5_000;

/** Called after each committed batch (tests use it to stop a run half-way). */
export type AfterBatch = (phase: BackfillPhase, linesDone: number) => void | Promise<void>;

/** Lines of a streamed JSONL body, without holding more than one chunk. */
async function* jsonLines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let rest = "";
  // Node's web streams are async-iterable; the DOM typings do not say so.
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    const text = rest + decoder.decode(chunk, { stream: true });
    const lines = text.split("\n");
    rest = lines.pop()!;
    for (const line of lines) if (line) yield line;
  }
  rest += decoder.decode();
  if (rest) yield rest;
}

/** The batch in COPY's text format, rendered here so the database connection waits for nothing. */
function copyText(shopId: number, batch: PhaseBatch): string {
  let text = "";
  for (const row of batch.rows()) text += `${shopId}\t${copyLine(row)}`;
  return text;
}

/**
 * Imports the lines after `startLine`. Parsing the next batch overlaps with the database writing
 * the previous one; commits stay in order and at most one batch is in flight, so memory stays at
 * two batches.
 */
export async function importBulkResult(
  shopId: number,
  phase: BackfillPhase,
  url: string,
  { startLine = 0, afterBatch }: { startLine?: number; afterBatch?: AfterBatch } = {},
): Promise<void> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`bulk result download answered ${response.status}`);
  let inFlight: Promise<void> = Promise.resolve();
  const commitInOrder = async (batch: PhaseBatch, linesDone: number) => {
    const rows = copyText(shopId, batch);
    await inFlight;
    inFlight = commitBatch(shopId, phase, rows, batch.roots, linesDone).then(() => afterBatch?.(phase, linesDone));
    // Awaited before the next commit (or at the end); until then a failure must not count as unhandled.
    inFlight.catch(() => {});
  };

  let batch = PHASES[phase].newBatch();
  let lineNumber = 0;
  let committed = startLine;
  try {
    for await (const text of jsonLines(response.body)) {
      if (lineNumber++ < startLine) continue;
      const line = JSON.parse(text) as JsonlLine;
      // Commit only between root records, so an order is never split from its line items.
      if (!line.__parentId && batch.roots >= BATCH_SIZE) {
        committed = lineNumber - 1;
        await commitInOrder(batch, committed);
        batch = PHASES[phase].newBatch();
      }
      batch.add(line);
    }
    if (lineNumber > committed) await commitInOrder(batch, lineNumber);
  } finally {
    // Also when the download or parsing fails: a retry must not start while a commit is still running.
    await inFlight.catch(() => {});
  }
  await inFlight;
}

const UNIQUE_VIOLATION = "23505";

/**
 * Writes one batch and the lines done in one transaction. Rows the table does not hold yet (every
 * row of a first import) are COPY'd straight in, as fast as PostgreSQL loads anything. When any row
 * exists already (a re-import, or a webhook got there first), that COPY fails on the key and the
 * batch goes through a staging table and the guarded upsert instead.
 */
async function commitBatch(shopId: number, phase: BackfillPhase, text: string, roots: number, linesDone: number): Promise<void> {
  const { table, columns, onConflict, counter } = PHASES[phase].target;
  await inTransaction(async (client) => {
    await execute("SAVEPOINT direct_copy", [], client);
    try {
      await copyIn(client, `COPY ${table} (${columns}) FROM STDIN`, text);
    } catch (error) {
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
      await execute("ROLLBACK TO SAVEPOINT direct_copy", [], client);
      const staging = `backfill_${table}`;
      await execute(`CREATE TEMP TABLE IF NOT EXISTS ${staging} (LIKE ${table} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`, [], client);
      await copyIn(client, `COPY ${staging} (${columns}) FROM STDIN`, text);
      await execute(
        `INSERT INTO ${table} (${columns}) SELECT ${columns} FROM ${staging} ON CONFLICT (shop_id, id) ${onConflict}`,
        [],
        client,
      );
    }
    await execute(`UPDATE shops SET sync_lines_done = $2, ${counter} = ${counter} + $3 WHERE id = $1`, [shopId, linesDone, roots], client);
  });
}
