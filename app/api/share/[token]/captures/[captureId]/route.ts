import { z } from "zod";
import { route } from "@/lib/http/route";
import { openShare } from "@/lib/sharing/share-links";
import { shareCapture } from "@/lib/sharing/share-view";

export const GET = route(
  { auth: "none", params: z.object({ token: z.string(), captureId: z.string() }) },
  async ({ params: { token, captureId }, clientIp }) => shareCapture(await openShare(token, clientIp), captureId),
);
