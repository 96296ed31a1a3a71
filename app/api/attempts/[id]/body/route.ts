import { DOWNLOAD_HEADERS } from "@/lib/http/body-response";
import { idParams, route } from "@/lib/http/route";
import { attemptBody } from "@/lib/replay/attempt-reads";

// The response body (?part=request: the request body) as a sandboxed, unsniffed attachment,
// never as the target's content type. Masked unless ?reveal=1 (member and up, audited).
export const GET = route({ auth: "required", params: idParams }, async ({ req, principal, params: { id }, clientIp }) => {
  const params = req.nextUrl.searchParams;
  const part = params.get("part") === "request" ? "request" : "response";
  const { body, masked } = await attemptBody(principal, id, { part, reveal: params.get("reveal") === "1", ip: clientIp });
  return new Response(body as Uint8Array<ArrayBuffer>, {
    headers: {
      ...DOWNLOAD_HEADERS,
      "X-Hookscope-Masked": masked ? "1" : "0",
      "Content-Length": String(body.byteLength),
      "Content-Disposition": `attachment; filename="${id}.${part}.bin"`,
    },
  });
});
