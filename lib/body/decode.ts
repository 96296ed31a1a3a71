// The one Content-Encoding decoder (gzip, deflate, brotli), for the lenses in the browser and for the
// server alike, bounded against decompression bombs: output stops at `maxOutputBytes` and at
// `maxRatio` times the input (with a small floor so a tiny body that compresses very well still
// opens). The input is fed in small chunks through a pipe so backpressure holds: at most one chunk's
// expansion is ever produced beyond the cap. Which decompressors exist is the caller's `Codecs`:
// `webCodecs` (DecompressionStream: gzip and deflate; Chromium has no brotli format, so brotli is
// reported as unavailable rather than pulled in from a large decoder) or the server's zlib-backed
// codecs (lib/capture/decode.ts), which add brotli. No node:* import here: this runs in the browser.

export const DECODE_LIMITS = { maxOutputBytes: 10 * 1024 * 1024, maxRatio: 100, minBudget: 64 * 1024, chunkBytes: 1024 };

export type DecodeResult =
  | { status: "decoded"; bytes: Uint8Array; encodings: string[] }
  /** Stopped at the cap: `bytes` is the decoded prefix. */
  | { status: "truncated"; bytes: Uint8Array; encodings: string[]; reason: string }
  | { status: "unsupported"; encodings: string[]; reason: string }
  /** Corrupt input: `bytes` is what decoded before the error (may be empty). */
  | { status: "failed"; bytes: Uint8Array; encodings: string[]; reason: string };

/** The codings applied to the body, in the order they were applied, lower-cased ("identity" dropped). */
export function contentEncodings(headers: readonly (readonly [string, string])[]): string[] {
  const out: string[] = [];
  for (const [name, value] of headers) {
    if (name.toLowerCase() !== "content-encoding") continue;
    for (const token of value.split(",")) {
      const t = token.trim().toLowerCase();
      if (t && t !== "identity") out.push(t === "x-gzip" ? "gzip" : t);
    }
  }
  return out;
}

export type Format = "gzip" | "deflate" | "deflate-raw" | "br";

/** A decompressor for one format, or null when this platform has none. */
export interface Codecs {
  name: string;
  supports(format: Format): boolean;
  create(format: Format): ReadableWritablePair<Uint8Array, Uint8Array>;
}

/** The platform's DecompressionStream: gzip and deflate (no brotli format in Chromium). */
export const webCodecs: Codecs = {
  name: "the browser",
  supports: (format) => format !== "br" && typeof DecompressionStream !== "undefined",
  create: (format) => new DecompressionStream(format as CompressionFormat) as unknown as ReadableWritablePair<Uint8Array, Uint8Array>,
};

function formatFor(coding: string, input: Uint8Array): Format | null {
  if (coding === "gzip") return "gzip";
  if (coding === "br") return "br";
  if (coding === "deflate") {
    // HTTP "deflate" is zlib-wrapped, but some senders send raw deflate: check the zlib header.
    const [a, b] = [input[0] ?? 0, input[1] ?? 0];
    return (a & 0x0f) === 8 && ((a << 8) | b) % 31 === 0 ? "deflate" : "deflate-raw";
  }
  return null;
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/** One decompression pass, stopping after `limit` bytes of output. */
export async function inflateBounded(
  format: Format,
  input: Uint8Array,
  limit: number,
  chunkBytes = DECODE_LIMITS.chunkBytes,
  codecs: Codecs = webCodecs,
): Promise<{ bytes: Uint8Array; truncated: boolean; error: string | null }> {
  if (!codecs.supports(format)) return { bytes: new Uint8Array(0), truncated: false, error: `no ${format} decoder in ${codecs.name}` };
  const decompressor = codecs.create(format);
  let offset = 0;
  const source = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (offset >= input.length) {
          controller.close();
          return;
        }
        const end = Math.min(offset + chunkBytes, input.length);
        controller.enqueue(input.slice(offset, end));
        offset = end;
      },
    },
    { highWaterMark: 0 },
  );
  const reader = source.pipeThrough(decompressor).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (total + value.length > limit) {
        chunks.push(value.subarray(0, limit - total));
        total = limit;
        await reader.cancel().catch(() => {});
        return { bytes: concat(chunks, total), truncated: true, error: null };
      }
      chunks.push(value);
      total += value.length;
    }
  } catch (err) {
    return { bytes: concat(chunks, total), truncated: false, error: err instanceof Error ? err.message : String(err) };
  }
  return { bytes: concat(chunks, total), truncated: false, error: null };
}

/** Undo `encodings` (in the order they were applied) within the limits. Never throws. */
export async function decodeContent(
  bytes: Uint8Array,
  encodings: string[],
  limits: Omit<typeof DECODE_LIMITS, "chunkBytes"> & { chunkBytes?: number } = DECODE_LIMITS,
  codecs: Codecs = webCodecs,
): Promise<DecodeResult> {
  const unknown = encodings.filter((e) => formatFor(e, bytes) === null);
  if (unknown.length > 0) return { status: "unsupported", encodings, reason: `no decoder for ${unknown.join(", ")}` };
  const missing = encodings.filter((e) => !codecs.supports(formatFor(e, bytes)!));
  if (missing.length > 0) {
    const br = missing.includes("br");
    return {
      status: "unsupported",
      encodings,
      reason:
        br && codecs === webCodecs ? "brotli preview unavailable in the browser" : `no decoder for ${missing.join(", ")} in ${codecs.name}`,
    };
  }
  const limit = Math.min(limits.maxOutputBytes, Math.max(limits.minBudget, bytes.length * limits.maxRatio));
  let current = bytes;
  for (let i = encodings.length - 1; i >= 0; i--) {
    const format = formatFor(encodings[i]!, current)!;
    const step = await inflateBounded(format, current, limit, limits.chunkBytes ?? DECODE_LIMITS.chunkBytes, codecs);
    if (step.error !== null)
      return { status: "failed", bytes: step.bytes, encodings, reason: `not valid ${encodings[i]} data (${step.error})` };
    if (step.truncated) {
      const reason =
        limit === limits.maxOutputBytes
          ? `decoded output capped at ${(limit / 1048576).toFixed(0)} MiB`
          : `decoded output capped at ${limit.toLocaleString("en-US")} bytes (${limits.maxRatio}× the stored size)`;
      return { status: "truncated", bytes: step.bytes, encodings, reason };
    }
    current = step.bytes;
  }
  return { status: "decoded", bytes: current, encodings };
}
