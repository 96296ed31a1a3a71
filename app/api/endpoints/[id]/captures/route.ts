import { z } from "zod";
import { endpointAccess } from "@/lib/endpoints/access";
import { clearOrQueue } from "@/lib/capture/clear";
import { captureFilterSchema } from "@/lib/capture/filter";
import { memberAccess } from "@/lib/capture/service/access";
import { listView, showPage } from "@/lib/capture/service/views";
import { idParams, json, route } from "@/lib/http/route";
import { searchEndpointCaptures } from "@/lib/search/capture-search";

const pageQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    before: z.coerce.number().int().min(1).optional(),
  })
  .extend(captureFilterSchema.shape)
  // `q` is HQL (lib/search): plain words still search text; method and path still filter.
  .extend({ q: z.string().max(2000).optional() });

export const GET = route(
  {
    auth: "required",
    params: idParams,
    before: ({ principal, params: { id } }) => memberAccess(principal, { endpointId: id }),
    query: pageQuery,
  },
  async ({ query, access }) => {
    // A search confirms on the masked capture for callers who cannot reveal: masked values are never findable.
    const found = await searchEndpointCaptures(access, query);
    return found ? showPage(access, found) : listView(access, query);
  },
);

export const DELETE = route({ auth: "required", params: idParams }, async ({ principal, params: { id } }) => {
  const access = await endpointAccess(principal, id, "capture.delete");
  // `{ deleted }` at once for a small endpoint; a large one is cleared by a job (202 + the job to follow).
  const outcome = await clearOrQueue(principal, access);
  return "job" in outcome ? json(outcome, { status: 202 }) : json(outcome);
});
