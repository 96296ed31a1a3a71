import { z } from "zod";
import { captureFilterSchema } from "@/lib/capture/filter";
import { shareAccess } from "@/lib/capture/service/access";
import { listView } from "@/lib/capture/service/views";
import { route } from "@/lib/http/route";

const pageQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    before: z.coerce.number().int().min(1).optional(),
  })
  .extend(captureFilterSchema.shape);

// The link is opened (404 when dead) before the query is checked.
export const GET = route(
  {
    auth: "none",
    params: z.object({ token: z.string() }),
    before: ({ params: { token }, clientIp }) => shareAccess(token, clientIp),
    query: pageQuery,
  },
  ({ access, query }) => listView(access, query),
);
