import { assertEndpointAccess } from "@/lib/endpoints/endpoints";
import { requirePrincipal, route } from "@/lib/http/route";
import { openCaptureStream, parseLastEventId } from "@/lib/realtime/sse";

type Params = { id: string };

export const dynamic = "force-dynamic";

export const GET = route<Params>(async (req, { id }) => {
  await assertEndpointAccess(requirePrincipal(req), id);
  // EventSource sends Last-Event-ID itself on reconnect; a first connection may pass ?lastEventId=.
  const last = parseLastEventId(req.headers.get("last-event-id") ?? req.nextUrl.searchParams.get("lastEventId"));
  const stream = openCaptureStream(id, last, req.signal);
  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      // no-transform keeps compression (Next's or a proxy's) from holding events back.
      "Cache-Control": "no-cache, no-transform",
      "X-Accel-Buffering": "no",
      Connection: "keep-alive",
    },
  });
});
