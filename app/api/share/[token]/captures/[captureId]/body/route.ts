import { z } from "zod";
import { shareAccess } from "@/lib/capture/service/access";
import { bodyView } from "@/lib/capture/service/views";
import { bodyResponse } from "@/lib/http/body-response";
import { route } from "@/lib/http/route";

// Always masked: a share link can never reveal.
export const GET = route(
  { auth: "none", params: z.object({ token: z.string(), captureId: z.string() }) },
  async ({ req, params: { token, captureId }, clientIp }) => {
    const access = await shareAccess(token, clientIp, { captureId });
    return bodyResponse(captureId, await bodyView(access, captureId, { decode: req.nextUrl.searchParams.get("decode") === "1" }));
  },
);
