import { z } from "zod";
import { bodyResponse } from "@/lib/http/body-response";
import { route } from "@/lib/http/route";
import { openShare } from "@/lib/sharing/share-links";
import { shareBody } from "@/lib/sharing/share-view";

// Always masked: a share link can never reveal.
export const GET = route(
  { auth: "none", params: z.object({ token: z.string(), captureId: z.string() }) },
  async ({ req, params: { token, captureId }, clientIp }) => {
    const share = await openShare(token, clientIp);
    return bodyResponse(captureId, await shareBody(share, captureId, req.nextUrl.searchParams.get("decode") === "1"));
  },
);
