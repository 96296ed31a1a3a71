import { z } from "zod";
import { captureFilterSchema } from "@/lib/capture/filter";
import { route } from "@/lib/http/route";
import { openShare } from "@/lib/sharing/share-links";
import { shareCapturePage } from "@/lib/sharing/share-view";

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
    before: ({ params: { token }, clientIp }) => openShare(token, clientIp),
    query: pageQuery,
  },
  ({ access: share, query }) => shareCapturePage(share, query),
);
