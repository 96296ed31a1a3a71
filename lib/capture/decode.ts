// Content-Encoding undone for viewing, on the server: the stored bytes stay compressed (fidelity),
// and this serves a bounded decoded copy, also for codings the browser cannot decode itself (brotli
// has no DecompressionStream format in Chromium). The decoding and its bounds are the one decoder
// in lib/body/decode.ts (DECODE_LIMITS: 10 MiB, or 100x the stored size with a 64 KiB floor, then
// reported as truncated, never buffered further); this file only lends it Node's zlib, brotli included.
import { Duplex } from "node:stream";
import zlib from "node:zlib";
import { type Codecs, contentEncodings, DECODE_LIMITS, decodeContent, type Format } from "@/lib/body/decode";
import type { HeaderPairs } from "../model/capture";

export { contentEncodings, DECODE_LIMITS };

/** Node's zlib as web streams: gzip, deflate (zlib-wrapped and raw) and brotli. */
export const zlibCodecs: Codecs = {
  name: "the server",
  supports: () => true,
  create(format: Format) {
    const z =
      format === "gzip"
        ? zlib.createGunzip()
        : format === "deflate"
          ? zlib.createInflate()
          : format === "deflate-raw"
            ? zlib.createInflateRaw()
            : zlib.createBrotliDecompress();
    return Duplex.toWeb(z) as unknown as ReadableWritablePair<Uint8Array, Uint8Array>;
  },
};

export type ServerDecodeResult =
  | { status: "decoded" | "truncated"; bytes: Buffer; encodings: string[] }
  | { status: "unsupported" | "failed"; encodings: string[]; reason: string };

export async function decodeForViewing(body: Uint8Array, headers: HeaderPairs, limits = DECODE_LIMITS): Promise<ServerDecodeResult> {
  const encodings = contentEncodings(headers);
  if (encodings.length === 0) return { status: "unsupported", encodings, reason: "the body has no Content-Encoding" };
  const r = await decodeContent(body, encodings, { ...limits, chunkBytes: 64 * 1024 }, zlibCodecs);
  if (r.status === "unsupported" || r.status === "failed") return { status: r.status, encodings, reason: r.reason };
  return { status: r.status, bytes: Buffer.from(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength), encodings };
}
