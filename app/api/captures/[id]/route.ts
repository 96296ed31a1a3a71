import { deleteCapture } from "@/lib/capture/store";
import { viewCapture } from "@/lib/capture/view";
import { captureAccess } from "@/lib/endpoints/access";
import { audit } from "@/lib/audit/audit";
import { clientIp } from "@/lib/auth/client-ip";
import { json, requirePrincipal, route } from "@/lib/http/route";
import { rulesForEndpoint } from "@/lib/redaction/policy";
import { signatureForCapture } from "@/lib/signatures/summaries";

type Params = { id: string };

// Masked by default; ?reveal=1 (member and up) returns the values as stored and is audited.
export const GET = route<Params>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  const reveal = req.nextUrl.searchParams.get("reveal") === "1";
  const view = await viewCapture(principal, id, { reveal, ip: clientIp(req.headers) });
  const rules = view.revealed ? null : await rulesForEndpoint(view.endpointId);
  return json({ ...view, signature: await signatureForCapture(view.endpointId, view, rules) });
});

export const DELETE = route<Params>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
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
