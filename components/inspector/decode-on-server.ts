// The lenses' road to the server's decoder: codings the browser cannot undo (brotli in Chromium) are
// decoded by GET /api/captures/:id/body?decode=1, with the same bounds (lib/capture/decode.ts).
import type { DecodeResult } from "@/lib/body/decode";

/**
 * Codings the browser cannot undo (brotli in Chromium) are decoded by the server, with the same
 * bounds (`url` is the body URL with decode=1, e.g. GET /api/captures/:id/body?decode=1). Never throws.
 */
export async function decodeOnServer(url: string, encodings: string[]): Promise<DecodeResult> {
  try {
    const res = await fetch(url);
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
      return { status: "failed", bytes: new Uint8Array(0), encodings, reason: body?.error?.message ?? `HTTP ${res.status}` };
    }
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (res.headers.get("x-hookscope-decode") === "truncated") {
      return { status: "truncated", bytes, encodings, reason: "decoded output capped (decompression-bomb guard)" };
    }
    return { status: "decoded", bytes, encodings };
  } catch (err) {
    return { status: "failed", bytes: new Uint8Array(0), encodings, reason: err instanceof Error ? err.message : String(err) };
  }
}
