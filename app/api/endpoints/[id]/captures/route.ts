import { z } from "zod";
import { endpointAccess } from "@/lib/endpoints/access";
import { listCaptures } from "@/lib/capture/store";
import { clearOrQueue } from "@/lib/capture/clear";
import { captureFilterSchema } from "@/lib/capture/filter";
import { maskCapturePage } from "@/lib/capture/view";
import { rulesForEndpoint } from "@/lib/redaction/policy";
import { idParams, json, route } from "@/lib/http/route";
import { searchEndpointCaptures } from "@/lib/search/capture-search";
import { withSignatures } from "@/lib/signatures/summaries";

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
    before: ({ principal, params: { id } }) => endpointAccess(principal, id, "capture.read"),
    query: pageQuery,
  },
  async ({ params: { id }, query, access }) => {
    const rules = await rulesForEndpoint(id);
    // A search confirms on the masked capture for callers who cannot reveal: masked values are never findable.
    const found = await searchEndpointCaptures(access, query);
    const page = found ?? (await listCaptures(id, { limit: query.limit, before: query.before }));
    // Rows show what the masked detail shows: masked query, the served body's size and type.
    const shown = await maskCapturePage(page, rules);
    const flags = { ...(found?.partial && { partial: true }), ...(found?.indexing && { indexing: true }) };
    return { ...shown, captures: await withSignatures(id, shown.captures, rules), ...flags };
  },
);

export const DELETE = route({ auth: "required", params: idParams }, async ({ principal, params: { id } }) => {
  const access = await endpointAccess(principal, id, "capture.delete");
  // `{ deleted }` at once for a small endpoint; a large one is cleared by a job (202 + the job to follow).
  const outcome = await clearOrQueue(principal, access);
  return "job" in outcome ? json(outcome, { status: 202 }) : json(outcome);
});
