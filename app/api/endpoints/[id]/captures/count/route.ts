import { z } from "zod";
import { memberAccess } from "@/lib/capture/service/access";
import { idParams, route } from "@/lib/http/route";
import { countEndpointCaptures } from "@/lib/search/capture-search";

const countQuery = z.object({ q: z.string().max(2000).optional() });

// { count, complete } (complete: false when the confirm bound was reached; count is then a lower bound).
export const GET = route(
  {
    auth: "required",
    params: idParams,
    before: ({ principal, params: { id } }) => memberAccess(principal, { endpointId: id }),
    query: countQuery,
  },
  ({ query, access }) => countEndpointCaptures(access, query),
);
