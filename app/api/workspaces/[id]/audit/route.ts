import { z } from "zod";
import { listAudit } from "@/lib/audit/audit";
import { json, requirePrincipal, route } from "@/lib/http/route";

type Params = { id: string };

const auditQuery = z.object({
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  action: z.string().max(64).optional(),
});

export const GET = route<Params>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  return json(await listAudit(principal, id, auditQuery.parse(Object.fromEntries(req.nextUrl.searchParams))));
});
