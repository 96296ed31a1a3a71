// The live event as the caller may see it: masked like a list row (query, the served body's size
// and type) and carrying its signature summary (sender, event type, delivery id detected on the
// masked form, and its status against the endpoint's saved secrets), for every road (members and
// share links get the same event).
import "../../runtime/server-only";
import { notFound } from "../../errors";
import { liveRawOf } from "../../live/event";
import type { CaptureSummary } from "../../model/capture";
import { liveStatus, watchLiveStatuses } from "../../signatures/checks";
import { liveSignature } from "../../signatures/summaries";
import { maskLiveSummary } from "../view";
import type { CaptureAccess } from "./access";

type Shaped = CaptureSummary | Promise<CaptureSummary>;

// Every viewer of an endpoint gets the same event (same rules, whatever the road): a live capture is
// masked and its sender detected once, not once per open stream.
const shaped = new WeakMap<CaptureSummary, { rulesKey: string; event: Shaped }>();
const rulesKeys = new WeakMap<CaptureAccess, string>();

/**
 * One event for the decision's endpoint: a promise when masking needs the body decoded or read (the
 * stream keeps the order). Replayed events (read back from the database) come without a signature:
 * the list computes theirs.
 */
export function liveView(access: CaptureAccess, event: CaptureSummary): Shaped {
  let rulesKey = rulesKeys.get(access);
  if (rulesKey === undefined) {
    rulesKey = JSON.stringify(access.rules);
    rulesKeys.set(access, rulesKey);
  }
  const hit = shaped.get(event);
  if (hit?.rulesKey === rulesKey) return hit.event;
  const masked = maskLiveSummary(event, access.rules);
  const raw = liveRawOf(event);
  if (!raw) return masked;
  const status = liveStatus({
    id: event.id,
    endpointId: event.endpointId,
    method: event.method,
    path: event.path,
    query: event.query,
    receivedAt: event.receivedAt,
    ...raw,
  });
  const signature = liveSignature(raw, access.rules);
  const withSignature = (m: CaptureSummary): CaptureSummary => ({
    ...m,
    signature: status === undefined ? signature : { ...signature, status },
  });
  const shown = masked instanceof Promise ? masked.then(withSignature) : withSignature(masked);
  // Kept for the endpoint's other viewers; not while the status is missing (secrets being reloaded).
  if (status !== undefined) shaped.set(event, { rulesKey, event: shown });
  return shown;
}

export interface LiveViews {
  /** The shape of each event sent (liveView). */
  view: (event: CaptureSummary) => Shaped;
  /** Call once when the stream ends (or never opened). */
  close: () => void;
}

/**
 * Opens the live view of the decision's endpoint: new captures are verified against its saved
 * secrets as they arrive (their status, not only their sender) while it is open.
 */
export async function openLiveView(access: CaptureAccess): Promise<LiveViews> {
  // A share link to one capture has no live list.
  if (access.captureId !== null) throw notFound("stream");
  const release = await watchLiveStatuses(access.endpointId);
  return { view: (event) => liveView(access, event), close: release };
}
