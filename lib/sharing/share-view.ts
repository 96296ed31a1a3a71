// What a share link shows: the same masked data the dashboard shows a viewer, never revealed.
import { listCaptures } from "../capture/store";
import { maskCapturePage, shareCaptureView, type CaptureView } from "../capture/view";
import { serveBody, type BodyResponse } from "../capture/serve-body";
import type { CaptureFilter } from "../capture/filter";
import type { CapturePage } from "../capture/store";
import { rulesForEndpoint } from "../redaction/policy";
import { assertShareCovers, type OpenShare } from "./share-links";
import { notFound } from "../errors";

export interface ShareRoot {
  kind: "endpoint" | "capture";
  name: string;
  expiresAt: string;
  /** kind "capture": the shared capture. */
  capture?: CaptureView;
  /** kind "endpoint": the newest captures (page on with /api/share/<token>/captures?before=). */
  captures?: CapturePage["captures"];
  nextBefore?: number | null;
}

export async function shareRoot(share: OpenShare): Promise<ShareRoot> {
  const base = { name: share.endpointName, expiresAt: share.expiresAt.toISOString() };
  if (share.captureId) return { kind: "capture", ...base, capture: (await shareCaptureView(share.endpointId, share.captureId)).view };
  const page = await shareCapturePage(share, { limit: 50 });
  return { kind: "endpoint", ...base, captures: page.captures, nextBefore: page.nextBefore };
}

export async function shareCapturePage(share: OpenShare, opts: { limit: number; before?: number } & CaptureFilter): Promise<CapturePage> {
  if (share.captureId) {
    // The masked view already carries the masked query and the served body's size and type.
    const { view } = await shareCaptureView(share.endpointId, share.captureId);
    return { captures: [view], nextBefore: null };
  }
  const rules = await rulesForEndpoint(share.endpointId);
  const page = await listCaptures(share.endpointId, { ...opts, redactWith: rules });
  return maskCapturePage(page, rules);
}

export async function shareCapture(share: OpenShare, captureId: string): Promise<CaptureView> {
  assertShareCovers(share, captureId);
  return (await shareCaptureView(share.endpointId, captureId)).view;
}

export async function shareBody(share: OpenShare, captureId: string, decode: boolean): Promise<BodyResponse> {
  assertShareCovers(share, captureId);
  const { detail, raw, rules } = await shareCaptureView(share.endpointId, captureId).catch(() => {
    throw notFound("capture");
  });
  // The stored headers and content type: a rule may mask Content-Encoding or Content-Type in the view.
  return serveBody(raw, detail.headers, detail.contentType, rules, decode);
}
