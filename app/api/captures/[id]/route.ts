import { deleteCapture } from "@/lib/capture/store";
import { memberAccess } from "@/lib/capture/service/access";
import { detailView } from "@/lib/capture/service/views";
import { captureAccess } from "@/lib/endpoints/access";
import { audit } from "@/lib/audit/audit";
import { idParams, route } from "@/lib/http/route";

// Masked by default; ?reveal=1 (member and up) returns the values as stored and is audited.
export const GET = route({ auth: "required", params: idParams }, async ({ req, principal, params: { id }, clientIp }) => {
  const reveal = req.nextUrl.searchParams.get("reveal") === "1";
  return detailView(await memberAccess(principal, { captureId: id }, { reveal, ip: clientIp }), id);
});

export const DELETE = route({ auth: "required", params: idParams }, async ({ principal, params: { id } }) => {
  const access = await captureAccess(principal, id, "capture.delete");
  await deleteCapture(principal, id);
  await audit(principal, {
    workspaceId: access.workspaceId,
    action: "capture.delete",
    targetType: "capture",
    targetId: id,
    detail: { endpointId: access.endpointId },
  });
  return new Response(null, { status: 204 });
});
