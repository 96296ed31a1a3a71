import { z } from "zod";
import { shareAccess } from "@/lib/capture/service/access";
import { detailView } from "@/lib/capture/service/views";
import { route } from "@/lib/http/route";

export const GET = route(
  { auth: "none", params: z.object({ token: z.string(), captureId: z.string() }) },
  async ({ params: { token, captureId }, clientIp }) => detailView(await shareAccess(token, clientIp, { captureId }), captureId),
);
