import { streamAccessEnded } from "@/lib/endpoints/access";
import { memberAccess } from "@/lib/capture/service/access";
import { openLiveView } from "@/lib/capture/service/live";
import { idParams, requestLike, route } from "@/lib/http/route";
import { openCaptureStream, parseLastEventId, SSE_HEADERS } from "@/lib/http/sse";
import type { CaptureSummary } from "@/lib/model/capture";
import { liveMatcher } from "@/lib/search/live-match";

export const dynamic = "force-dynamic";

export const GET = route({ auth: "required", params: idParams }, async ({ req, principal, params: { id } }) => {
  // Authorization is checked on subscribe, like every other read, and again every few seconds
  // while the stream is open (a revoked token, an ended session or a removal ends it).
  const access = await memberAccess(principal, { endpointId: id }, { action: "endpoint.read" });
  // `?q=` (HQL): every event says whether it matches, on what this caller may search (lib/search/live-match.ts).
  const matcher = await liveMatcher(access, req.nextUrl.searchParams.get("q"));
  const caller = requestLike(req);
  // EventSource sends Last-Event-ID itself on reconnect; a first connection may pass ?lastEventId=.
  const last = parseLastEventId(req.headers.get("last-event-id") ?? req.nextUrl.searchParams.get("lastEventId"));
  const live = await openLiveView(access);
  let stream: ReadableStream<Uint8Array>;
  try {
    const view = live.view;
    const shape = matcher
      ? (c: CaptureSummary) => Promise.all([view(c), matcher(c)]).then(([event, matches]) => ({ ...event, matches }))
      : view;
    stream = openCaptureStream(id, last, req.signal, shape, live.close, () => streamAccessEnded(caller, principal, id));
  } catch (err) {
    live.close(); // refused (too many streams): it never opened
    throw err;
  }
  return new Response(stream, { headers: SSE_HEADERS });
});
