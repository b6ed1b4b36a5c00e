import zlib from "node:zlib";

/**
 * Response compression, as remix-serve's `compression()` gave us: text-like bodies are compressed
 * for clients that accept it. Brotli is kept for files compressed once (static assets); dynamic
 * responses use gzip, which costs a fraction of brotli's CPU per request.
 */

export type Encoding = "br" | "gzip";

const COMPRESSIBLE = /^(text\/|application\/(json|javascript|xml|.*\+json|.*\+xml)|image\/svg\+xml)/i;

export function isCompressible(contentType: string | null | undefined): boolean {
  return contentType !== null && contentType !== undefined && COMPRESSIBLE.test(contentType);
}

/** The best encoding the client accepts (q=0 refuses one), or null. */
export function acceptedEncoding(header: string | string[] | undefined, offer: readonly Encoding[] = ["br", "gzip"]): Encoding | null {
  const value = Array.isArray(header) ? header.join(",") : (header ?? "");
  const accepted = new Map<string, number>();
  for (const part of value.split(",")) {
    const [name, ...parameters] = part.trim().toLowerCase().split(";");
    if (!name) continue;
    const q = parameters.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((found) => found !== undefined);
    accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const wildcard = accepted.get("*");
  return offer.find((encoding) => (accepted.get(encoding) ?? wildcard ?? 0) > 0) ?? null;
}

/** A gzip stream that flushes after every write, so streamed HTML (React's shell first) still arrives in pieces. */
export function streamingGzip(): zlib.Gzip {
  return zlib.createGzip({ flush: zlib.constants.Z_SYNC_FLUSH });
}
