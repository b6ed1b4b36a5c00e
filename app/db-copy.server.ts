import { Readable } from "node:stream";
import type pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import { pool } from "./db.server";

/**
 * PostgreSQL's COPY, the fastest way in and out of a table, on db.server's pool: the back-fill
 * loads batches with `copyIn`, the CSV export streams with `copyOut`. Kept apart from db.server so
 * that the many modules needing only queries do not load pg-copy-streams.
 */

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };
// Most values need no escaping; testing first keeps rendering a million rows cheap.
const escapeCopy = (text: string) => (COPY_SPECIAL.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : text);

/** Every element quoted: valid for text[] and bigint[] alike. */
function arrayLiteral(values: unknown[]): string {
  if (values.length === 0) return "{}";
  return `{${values.map((value) => `"${String(value).replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(",")}}`;
}

/** One value in COPY's text format (NULL is \N; arrays as array literals). */
export function copyValue(value: unknown): string {
  if (value === null || value === undefined) return "\\N";
  if (Array.isArray(value)) return escapeCopy(arrayLiteral(value));
  if (typeof value === "boolean") return value ? "t" : "f";
  return escapeCopy(String(value));
}

/** One row in COPY's text format, with its newline. */
export function copyLine(values: readonly unknown[]): string {
  return `${values.map(copyValue).join("\t")}\n`;
}

/** Runs `COPY … FROM STDIN` with rows already in COPY's text format, on a connection the caller holds (e.g. a transaction's). */
export async function copyIn(client: pg.PoolClient, statement: string, text: string): Promise<void> {
  const stream = client.query(copyFrom(statement));
  const done = new Promise<void>((resolve, reject) => {
    stream.on("finish", () => resolve());
    stream.on("error", reject);
  });
  stream.end(text);
  await done;
}

/**
 * Streams `COPY (…) TO STDOUT` from a connection of its own, released when the stream ends. A
 * stream closed before its end (e.g. a cancelled download) leaves the connection mid-COPY, so it
 * is discarded, not reused.
 */
export async function copyOut(statement: string): Promise<ReadableStream<Uint8Array>> {
  const client = await pool.connect();
  const stream = client.query(copyTo(statement));
  let released = false;
  const release = (error?: Error) => {
    if (released) return;
    released = true;
    client.release(error);
  };
  stream.on("end", () => release());
  stream.on("error", (error) => release(error));
  stream.on("close", () => release(new Error("COPY stream closed before its end")));
  return Readable.toWeb(stream) as ReadableStream<Uint8Array>;
}
