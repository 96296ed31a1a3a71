import { deleteCapture } from "@/lib/capture/store";
import { viewCapture } from "@/lib/capture/view";
import { captureAccess } from "@/lib/endpoints/access";
import { audit } from "@/lib/audit/audit";
import { idParams, route } from "@/lib/http/route";
import { rulesForEndpoint } from "@/lib/redaction/policy";
import { signatureForCapture } from "@/lib/signatures/summaries";

// Masked by default; ?reveal=1 (member and up) returns the values as stored and is audited.
export const GET = route({ auth: "required", params: idParams }, async ({ req, principal, params: { id }, clientIp }) => {
  const reveal = req.nextUrl.searchParams.get("reveal") === "1";
  const view = await viewCapture(principal, id, { reveal, ip: clientIp });
  const rules = view.revealed ? null : await rulesForEndpoint(view.endpointId);
  return { ...view, signature: await signatureForCapture(view.endpointId, view, rules) };
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
