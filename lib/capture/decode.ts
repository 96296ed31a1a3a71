// Content-Encoding undone for viewing, on the server: the stored bytes stay compressed (fidelity),
// and this serves a bounded decoded copy for codings the browser cannot decode itself (brotli has
// no DecompressionStream format in Chromium). Bounded against decompression bombs: output stops
// at DECODE_LIMITS (10 MiB, or 100x the stored size with a 64 KiB floor) and is then reported as
// truncated, never buffered further.
import zlib from "node:zlib";
import type { HeaderPairs } from "./types";

export const DECODE_LIMITS = { maxOutputBytes: 10 * 1024 * 1024, maxRatio: 100, minBudget: 64 * 1024 };

/** The codings applied to the body, in the order they were applied ("identity" dropped). */
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

export type ServerDecodeResult =
  | { status: "decoded" | "truncated"; bytes: Buffer; encodings: string[] }
  | { status: "unsupported" | "failed"; encodings: string[]; reason: string };

function decoderFor(coding: string, input: Uint8Array): zlib.Gunzip | zlib.Inflate | zlib.InflateRaw | zlib.BrotliDecompress | null {
  if (coding === "gzip") return zlib.createGunzip();
  if (coding === "br") return zlib.createBrotliDecompress();
  // "deflate" is meant to be zlib-wrapped, but many senders send raw deflate: check the header.
  if (coding === "deflate") return input.length >= 2 && (input[0]! & 0x0f) === 8 && ((input[0]! << 8) | input[1]!) % 31 === 0 ? zlib.createInflate() : zlib.createInflateRaw();
  return null;
}

function inflateBounded(decoder: NonNullable<ReturnType<typeof decoderFor>>, input: Uint8Array, limit: number) {
  return new Promise<{ bytes: Buffer; truncated: boolean; error: string | null }>((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let done = false;
    const finish = (truncated: boolean, error: string | null) => {
      if (done) return;
      done = true;
      resolve({ bytes: Buffer.concat(chunks, total), truncated, error });
    };
    decoder.on("data", (chunk: Buffer) => {
      if (done) return;
      const room = limit - total;
      if (chunk.length >= room) {
        chunks.push(chunk.subarray(0, room));
        total = limit;
        finish(true, null);
        decoder.destroy();
        return;
      }
      chunks.push(chunk);
      total += chunk.length;
    });
    decoder.on("end", () => finish(false, null));
    decoder.on("error", (err) => finish(false, err.message));
    decoder.end(input);
  });
}

export async function decodeForViewing(body: Uint8Array, headers: HeaderPairs, limits = DECODE_LIMITS): Promise<ServerDecodeResult> {
  const encodings = contentEncodings(headers);
  if (encodings.length === 0) return { status: "unsupported", encodings, reason: "the body has no Content-Encoding" };
  const limit = Math.min(limits.maxOutputBytes, Math.max(limits.minBudget, body.length * limits.maxRatio));
  let current: Uint8Array = body;
  for (let i = encodings.length - 1; i >= 0; i--) {
    const decoder = decoderFor(encodings[i]!, current);
    if (!decoder) return { status: "unsupported", encodings, reason: `no decoder for ${encodings[i]}` };
    const step = await inflateBounded(decoder, current, limit);
    if (step.error !== null) return { status: "failed", encodings, reason: `not valid ${encodings[i]} data (${step.error})` };
    if (step.truncated) return { status: "truncated", bytes: step.bytes, encodings };
    current = step.bytes;
  }
  return { status: "decoded", bytes: Buffer.from(current.buffer, current.byteOffset, current.byteLength), encodings };
}
