import { getCaptureBody } from "@/lib/capture/store";
import { requirePrincipal, route } from "@/lib/http/route";

type Params = { id: string };

// The exact stored bytes. Never served as the sender's content type: captured content is data,
// so it downloads as an attachment, unsniffed, and sandboxed should a browser render it anyway.
export const GET = route<Params>(async (req, { id }) => {
  const { body } = await getCaptureBody(requirePrincipal(req), id);
  return new Response(body as Uint8Array<ArrayBuffer>, {
    headers: {
      "Content-Type": "application/octet-stream",
      "Content-Length": String(body.byteLength),
      "Content-Disposition": `attachment; filename="${id}.bin"`,
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "sandbox; default-src 'none'",
      "Cache-Control": "private, no-store",
    },
  });
});
