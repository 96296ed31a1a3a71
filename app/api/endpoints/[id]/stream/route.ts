import { endpointAccess, streamAccessEnded } from "@/lib/endpoints/access";
import { maskLiveSummary } from "@/lib/capture/view";
import { liveRawOf } from "@/lib/live/event";
import { liveSignature } from "@/lib/signatures/summaries";
import { liveStatus, watchLiveStatuses } from "@/lib/signatures/checks";
import { rulesForEndpoint } from "@/lib/redaction/policy";
import { idParams, requestLike, route } from "@/lib/http/route";
import { openCaptureStream, parseLastEventId, SSE_HEADERS } from "@/lib/http/sse";
import type { CaptureSummary } from "@/lib/model/capture";
import { liveMatcher } from "@/lib/search/live-match";

export const dynamic = "force-dynamic";

// Every viewer of an endpoint gets the same event (same rules): a live capture is masked and its
// sender detected once, not once per open stream.
const shaped = new WeakMap<CaptureSummary, { rulesKey: string; event: CaptureSummary | Promise<CaptureSummary> }>();

export const GET = route({ auth: "required", params: idParams }, async ({ req, principal, params: { id } }) => {
  // Authorization is checked on subscribe, like every other read, and again every few seconds
  // while the stream is open (a revoked token, an ended session or a removal ends it).
  const access = await endpointAccess(principal, id, "endpoint.read");
  // `?q=` (HQL): every event says whether it matches, on what this caller may search (lib/search/live-match.ts).
  const matcher = await liveMatcher(access, req.nextUrl.searchParams.get("q"));
  const caller = requestLike(req);
  const rules = await rulesForEndpoint(id);
  // EventSource sends Last-Event-ID itself on reconnect; a first connection may pass ?lastEventId=.
  const last = parseLastEventId(req.headers.get("last-event-id") ?? req.nextUrl.searchParams.get("lastEventId"));
  const rulesKey = JSON.stringify(rules);
  // New captures are verified against the endpoint's saved secrets as they arrive (their status, not only their sender).
  const release = await watchLiveStatuses(id);
  const transform = (c: CaptureSummary) => {
    const hit = shaped.get(c);
    if (hit?.rulesKey === rulesKey) return hit.event;
    // Masked like a list row (query, and the served body's size and type); a promise when that needs
    // the body decoded or read (the stream keeps the order).
    const masked = maskLiveSummary(c, rules);
    // Live events carry the raw row out of band: add the detected webhook sender and its signature status
    // (replayed ones come without: the list computes theirs).
    const raw = liveRawOf(c);
    if (!raw) return masked;
    const status = liveStatus({
      id: c.id,
      endpointId: c.endpointId,
      method: c.method,
      path: c.path,
      query: c.query,
      receivedAt: c.receivedAt,
      ...raw,
    });
    const signature = liveSignature(raw, rules);
    const withSignature = (m: CaptureSummary): CaptureSummary => ({
      ...m,
      signature: status === undefined ? signature : { ...signature, status },
    });
    const event = masked instanceof Promise ? masked.then(withSignature) : withSignature(masked);
    // Kept for the endpoint's other viewers; not while the status is missing (secrets being reloaded).
    if (status !== undefined) shaped.set(c, { rulesKey, event });
    return event;
  };
  let stream: ReadableStream<Uint8Array>;
  try {
    const shape = matcher
      ? (c: CaptureSummary) => Promise.all([transform(c), matcher(c)]).then(([event, matches]) => ({ ...event, matches }))
      : transform;
    stream = openCaptureStream(id, last, req.signal, shape, release, () => streamAccessEnded(caller, principal, id));
  } catch (err) {
    release(); // refused (too many streams): it never opened
    throw err;
  }
  return new Response(stream, { headers: SSE_HEADERS });
});
