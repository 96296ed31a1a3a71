// The live event: a new capture's summary as the bus and the streams carry it, with its raw headers
// and body attached out of band for the stream's signature detection.
import type { CaptureSummary, NewCapture } from "../model/capture";

/**
 * Live events carry the row's raw headers and body out of band under this symbol (never serialised), so a live
 * stream transform can detect the webhook sender without a database read (see app/api/endpoints/[id]/stream).
 */
export const LIVE_RAW = Symbol.for("hookscope.capture.liveRaw");
export type LiveRaw = Pick<NewCapture, "headers" | "body" | "contentType">;

export function liveRawOf(summary: CaptureSummary): LiveRaw | undefined {
  return (summary as CaptureSummary & { [LIVE_RAW]?: LiveRaw })[LIVE_RAW];
}

export function summaryOf(row: NewCapture, seq: number): CaptureSummary {
  const summary: CaptureSummary & { [LIVE_RAW]?: LiveRaw } = {
    id: row.id,
    endpointId: row.endpointId,
    seq,
    method: row.method,
    path: row.path,
    query: row.query,
    contentType: row.contentType,
    bodySize: row.bodySize,
    remoteAddr: row.remoteAddr,
    receivedAt: row.receivedAt,
    rejected: row.rejected,
    response: { status: row.responseStatus },
  };
  Object.defineProperty(summary, LIVE_RAW, {
    value: { headers: row.headers, body: row.body, contentType: row.contentType },
    enumerable: false,
  });
  return summary;
}
