import { z } from "zod";
import { listAudit } from "@/lib/audit/audit";
import { idParams, route } from "@/lib/http/route";

const auditQuery = z.object({
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  action: z.string().max(64).optional(),
});

export const GET = route({ auth: "required", params: idParams, query: auditQuery }, ({ principal, params: { id }, query }) =>
  listAudit(principal, id, query),
);
