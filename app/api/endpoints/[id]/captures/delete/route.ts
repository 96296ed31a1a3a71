import { z } from "zod";
import { endpointAccess } from "@/lib/endpoints/access";
import { idParams, json, route } from "@/lib/http/route";
import { deleteByQuery } from "@/lib/search/bulk-delete";

const deleteBody = z.object({ q: z.string().max(2000), dryRun: z.boolean().optional() });

// Dry run → { count, complete }; small → { deleted }; large → 202 { job } (GET /api/jobs/:id follows it).
export const POST = route(
  {
    auth: "required",
    params: idParams,
    before: ({ principal, params: { id } }) => endpointAccess(principal, id, "capture.delete"),
    body: deleteBody,
  },
  async ({ principal, access, body, clientIp }) => {
    const outcome = await deleteByQuery(principal, access, body, clientIp);
    return "job" in outcome ? json(outcome, { status: 202 }) : outcome;
  },
);
