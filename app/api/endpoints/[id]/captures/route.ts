import { z } from "zod";
import { endpointAccess } from "@/lib/endpoints/access";
import { clearCaptures, listCaptures } from "@/lib/capture/store";
import { captureFilterSchema } from "@/lib/capture/filter";
import { maskCapturePage } from "@/lib/capture/view";
import { rulesForEndpoint } from "@/lib/redaction/policy";
import { audit } from "@/lib/audit/audit";
import { can } from "@/lib/auth/roles";
import { idParams, route } from "@/lib/http/route";
import { withSignatures } from "@/lib/signatures/summaries";

const pageQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    before: z.coerce.number().int().min(1).optional(),
  })
  .extend(captureFilterSchema.shape);

export const GET = route(
  {
    auth: "required",
    params: idParams,
    before: ({ principal, params: { id } }) => endpointAccess(principal, id, "capture.read"),
    query: pageQuery,
  },
  async ({ params: { id }, query, access }) => {
    const rules = await rulesForEndpoint(id);
    // Text search sees what the caller may see: masked values cannot be probed by searching for them.
    const page = await listCaptures(id, { ...query, redactWith: can(access.role, "capture.reveal") ? undefined : rules });
    // Rows show what the masked detail shows: masked query, the served body's size and type.
    const shown = await maskCapturePage(page, rules);
    return { ...shown, captures: await withSignatures(id, shown.captures, rules) };
  },
);

export const DELETE = route({ auth: "required", params: idParams }, async ({ principal, params: { id } }) => {
  const access = await endpointAccess(principal, id, "capture.delete");
  const deleted = await clearCaptures(id);
  await audit(principal, {
    workspaceId: access.workspaceId,
    action: "captures.clear",
    targetType: "endpoint",
    targetId: id,
    detail: { deleted },
  });
  return { deleted };
});
