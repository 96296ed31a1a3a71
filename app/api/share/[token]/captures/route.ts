import { z } from "zod";
import { captureFilterSchema } from "@/lib/capture/filter";
import { shareAccess } from "@/lib/capture/service/access";
import { listView, showPage } from "@/lib/capture/service/views";
import { route } from "@/lib/http/route";
import { searchEndpointCaptures } from "@/lib/search/capture-search";

const pageQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    before: z.coerce.number().int().min(1).optional(),
  })
  .extend(captureFilterSchema.shape)
  // `q` is HQL, searched on the masked form (a share link never reveals).
  .extend({ q: z.string().max(2000).optional() });

// The link is opened (404 when dead) before the query is checked.
export const GET = route(
  {
    auth: "none",
    params: z.object({ token: z.string() }),
    before: ({ params: { token }, clientIp }) => shareAccess(token, clientIp),
    query: pageQuery,
  },
  async ({ access, query }) => {
    // A link to one capture lists that capture alone (listView); a link to the endpoint searches it masked.
    const found = access.captureId === null ? await searchEndpointCaptures(access, query) : null;
    return found ? showPage(access, found) : listView(access, query);
  },
);
