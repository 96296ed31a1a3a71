import type { BodyResponse } from "../capture/serve-body";
import { bodyDownloadName } from "./download-name";

// Captured content is data: it always downloads as an unsniffed, sandboxed attachment, never as
// the sender's content type.
export const DOWNLOAD_HEADERS = {
  "Content-Type": "application/octet-stream",
  "X-Content-Type-Options": "nosniff",
  "Content-Security-Policy": "sandbox; default-src 'none'",
  "Cache-Control": "private, no-store",
};

/**
 * X-Hookscope-Masked: 1 when anything was masked; X-Hookscope-Decode: decoded | truncated when the
 * bytes are the decoded form of an encoded body; X-Hookscope-Withheld: why a masked view of an
 * undecodable encoded body (or of one whose masking exceeded the redaction budget) is empty;
 * X-Hookscope-Redaction: budget-exceeded in that last case. The file is named by the content type the view shows, and says
 * `.masked` / `.decoded` when the bytes are not the stored ones (`.json.gz`: the stored gzip bytes).
 * Content-Length is that of the bytes served; no header describes the stored bytes of a masked body.
 */
export function bodyResponse(id: string, served: BodyResponse): Response {
  const headers: Record<string, string> = {
    ...DOWNLOAD_HEADERS,
    "X-Hookscope-Masked": served.masked ? "1" : "0",
    "Content-Length": String(served.body.byteLength),
    "Content-Disposition": `attachment; filename="${bodyDownloadName({ id, contentType: served.contentType, decoded: served.decode !== null, masked: served.masked, encodings: served.encodings })}"`,
  };
  if (served.decode) {
    headers["X-Hookscope-Decode"] = served.decode;
    headers["X-Hookscope-Encodings"] = served.encodings.join(", ");
  }
  if (served.withheld) headers["X-Hookscope-Withheld"] = served.withheld.replace(/[^\x20-\x7e]/g, "?");
  // Masking would have cost more than the redaction budget: the body is withheld (lib/redaction/budget.ts).
  if (served.budgetExceeded) headers["X-Hookscope-Redaction"] = "budget-exceeded";
  return new Response(served.body as Uint8Array<ArrayBuffer>, { headers });
}
