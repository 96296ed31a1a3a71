import { z } from "zod";
import { shareAccess } from "@/lib/capture/service/access";
import { openLiveView } from "@/lib/capture/service/live";
import { route } from "@/lib/http/route";
import { openCaptureStream, parseLastEventId, SSE_HEADERS } from "@/lib/http/sse";
import { shareStreamSignal } from "@/lib/sharing/share-links";

export const dynamic = "force-dynamic";

// The live list of a shared endpoint, the same events a viewer gets. The stream ends when the link
// expires (the client's reconnect then gets the 404 of a dead link) or soon after it is revoked.
export const GET = route({ auth: "none", params: z.object({ token: z.string() }) }, async ({ req, params: { token }, clientIp }) => {
  const access = await shareAccess(token, clientIp);
  const last = parseLastEventId(req.headers.get("last-event-id") ?? req.nextUrl.searchParams.get("lastEventId"));
  const live = await openLiveView(access);
  let stream: ReadableStream<Uint8Array>;
  try {
    stream = openCaptureStream(access.endpointId, last, shareStreamSignal(access.viewer.share, token, req.signal), live.view, live.close);
  } catch (err) {
    live.close(); // refused (too many streams): it never opened
    throw err;
  }
  return new Response(stream, { headers: SSE_HEADERS });
});
