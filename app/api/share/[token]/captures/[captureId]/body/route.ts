import { clientIp } from "@/lib/auth/client-ip";
import { bodyResponse } from "@/lib/http/body-response";
import { route } from "@/lib/http/route";
import { openShare } from "@/lib/sharing/share-links";
import { shareBody } from "@/lib/sharing/share-view";

type Params = { token: string; captureId: string };

// Always masked: a share link can never reveal.
export const GET = route<Params>(async (req, { token, captureId }) => {
  const share = await openShare(token, clientIp(req.headers));
  return bodyResponse(captureId, await shareBody(share, captureId, req.nextUrl.searchParams.get("decode") === "1"));
});
