import { clientIp } from "@/lib/auth/client-ip";
import { json, route } from "@/lib/http/route";
import { openShare } from "@/lib/sharing/share-links";
import { shareCapture } from "@/lib/sharing/share-view";

type Params = { token: string; captureId: string };

export const GET = route<Params>(async (req, { token, captureId }) => {
  const share = await openShare(token, clientIp(req.headers));
  return json(await shareCapture(share, captureId));
});
