import { memberAccess } from "@/lib/capture/service/access";
import { bodyView } from "@/lib/capture/service/views";
import { idParams, route } from "@/lib/http/route";
import { bodyResponse } from "@/lib/http/body-response";

// The body with the endpoint's redaction applied; ?reveal=1 (member and up, audited) gives the
// exact stored bytes; ?download=1 marks an export (audited); ?decode=1 undoes Content-Encoding
// (bounded). See lib/http/body-response.ts for the headers.
export const GET = route({ auth: "required", params: idParams }, async ({ req, principal, params: { id }, clientIp }) => {
  const params = req.nextUrl.searchParams;
  const access = await memberAccess(principal, { captureId: id }, { reveal: params.get("reveal") === "1", ip: clientIp });
  return bodyResponse(id, await bodyView(access, id, { download: params.get("download") === "1", decode: params.get("decode") === "1" }));
});
