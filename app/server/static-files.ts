import { readdir, readFile, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { acceptedEncoding, isCompressible, type Encoding } from "./compression";

/**
 * The build's client files (build/client): hashed assets under /assets/ are cached for a year as
 * immutable, anything else for an hour. Files are small and few, so each is read once and kept in
 * memory with its gzip and brotli forms, compressed on first request.
 */

const CONTENT_TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
};

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

interface StaticFile {
  absolutePath: string;
  contentType: string;
  cacheControl: string;
  body?: Buffer;
  encoded: Partial<Record<Encoding, Promise<Buffer>>>;
}

export class StaticFiles {
  private constructor(private readonly files: Map<string, StaticFile>) {}

  /** Indexes every file under `directory` by its URL path. */
  static async load(directory: string): Promise<StaticFiles> {
    const files = new Map<string, StaticFile>();
    for (const relative of await listFiles(directory)) {
      const urlPath = `/${relative.split(path.sep).join("/")}`;
      files.set(urlPath, {
        absolutePath: path.join(directory, relative),
        contentType: CONTENT_TYPES[path.extname(relative).toLowerCase()] ?? "application/octet-stream",
        cacheControl: urlPath.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "public, max-age=3600",
        encoded: {},
      });
    }
    return new StaticFiles(files);
  }

  /** Answers a GET or HEAD for one of the files; false when the path is not one of them. */
  async serve(request: IncomingMessage, response: ServerResponse, pathname: string): Promise<boolean> {
    if (request.method !== "GET" && request.method !== "HEAD") return false;
    const file = this.files.get(pathname);
    if (!file) return false;
    file.body ??= await readFile(file.absolutePath);
    const encoding = isCompressible(file.contentType) ? acceptedEncoding(request.headers["accept-encoding"]) : null;
    const body = encoding ? await this.encoded(file, encoding) : file.body;
    response.writeHead(200, {
      "Content-Type": file.contentType,
      "Content-Length": body.length,
      "Cache-Control": file.cacheControl,
      Vary: "Accept-Encoding",
      ...(encoding ? { "Content-Encoding": encoding } : {}),
    });
    response.end(request.method === "HEAD" ? undefined : body);
    return true;
  }

  private encoded(file: StaticFile, encoding: Encoding): Promise<Buffer> {
    return (file.encoded[encoding] ??= encoding === "br" ? brotli(file.body!) : gzip(file.body!, { level: 9 }));
  }
}

async function listFiles(directory: string): Promise<string[]> {
  if (!(await stat(directory).catch(() => null))?.isDirectory()) return [];
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.relative(directory, path.join(entry.parentPath, entry.name)));
}
