import { getCapture, getCaptureBody } from "@/lib/capture/store";
import { decodeForViewing } from "@/lib/capture/decode";
import { AppError } from "@/lib/http/errors";
import { requirePrincipal, route } from "@/lib/http/route";

type Params = { id: string };

// Captured content is data: it always downloads as an unsniffed, sandboxed attachment, never as
// the sender's content type.
const DOWNLOAD_HEADERS = {
  "Content-Type": "application/octet-stream",
  "X-Content-Type-Options": "nosniff",
  "Content-Security-Policy": "sandbox; default-src 'none'",
  "Cache-Control": "private, no-store",
};

// The exact stored bytes; with ?decode=1, a bounded copy with its Content-Encoding undone, for
// viewing only (X-Hookscope-Decode: decoded | truncated).
export const GET = route<Params>(async (req, { id }) => {
  const principal = requirePrincipal(req);
  const { body } = await getCaptureBody(principal, id);
  if (req.nextUrl.searchParams.get("decode") !== "1") {
    return new Response(body as Uint8Array<ArrayBuffer>, {
      headers: { ...DOWNLOAD_HEADERS, "Content-Length": String(body.byteLength), "Content-Disposition": `attachment; filename="${id}.bin"` },
    });
  }
  const { headers } = await getCapture(principal, id);
  const decoded = await decodeForViewing(body, headers);
  if (!("bytes" in decoded)) {
    throw new AppError(422, decoded.status === "failed" ? "decode_failed" : "unsupported_encoding", `Cannot decode the body: ${decoded.reason}.`);
  }
  return new Response(decoded.bytes as Uint8Array<ArrayBuffer>, {
    headers: {
      ...DOWNLOAD_HEADERS,
      "Content-Length": String(decoded.bytes.byteLength),
      "Content-Disposition": `attachment; filename="${id}.decoded.bin"`,
      "X-Hookscope-Decode": decoded.status,
      "X-Hookscope-Encodings": decoded.encodings.join(", "),
    },
  });
});
