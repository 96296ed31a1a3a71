import { z } from "zod";
import { clientIp } from "@/lib/auth/client-ip";
import { captureFilterSchema } from "@/lib/capture/filter";
import { json, route } from "@/lib/http/route";
import { openShare } from "@/lib/sharing/share-links";
import { shareCapturePage } from "@/lib/sharing/share-view";

type Params = { token: string };

const pageQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    before: z.coerce.number().int().min(1).optional(),
  })
  .extend(captureFilterSchema.shape);

export const GET = route<Params>(async (req, { token }) => {
  const share = await openShare(token, clientIp(req.headers));
  return json(await shareCapturePage(share, pageQuery.parse(Object.fromEntries(req.nextUrl.searchParams))));
});
