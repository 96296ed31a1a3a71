import { captureBodyFor } from "@/lib/capture/view";
import type { BodyResponse } from "@/lib/capture/serve-body";
import { clientIp } from "@/lib/auth/client-ip";
import { requirePrincipal, route } from "@/lib/http/route";
import { bodyResponse } from "@/lib/http/body-response";

type Params = { id: string };

// The body with the endpoint's redaction applied; ?reveal=1 (member and up, audited) gives the
// exact stored bytes; ?download=1 marks an export (audited); ?decode=1 undoes Content-Encoding
// (bounded). See lib/http/body-response.ts for the headers.
export const GET = route<Params>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  const params = req.nextUrl.searchParams;
  const served: BodyResponse = await captureBodyFor(principal, id, {
    reveal: params.get("reveal") === "1",
    download: params.get("download") === "1",
    decode: params.get("decode") === "1",
    ip: clientIp(req.headers),
  });
  return bodyResponse(id, served);
});
