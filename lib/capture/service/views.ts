// The capture views, built once for every road (member, share link): the list page, the detail,
// the body and the share's root. Each takes the access decision (access.ts), never a raw id to
// check again, and applies masking (lib/capture/view.ts) and the signature summaries
// (lib/signatures/summaries.ts, computed on the masked form unless the caller revealed) the same way
// whoever asks. Only a member's reveal or export is audited here; a share link's view is counted
// where it is opened (lib/sharing/share-links.ts recordShareView).
import "../../runtime/server-only";
import { audit } from "../../audit/audit";
import { notFound } from "../../errors";
import type { CaptureDetail, CaptureSignature, CaptureSummary } from "../../model/capture";
import { signatureForCapture, withSignatures } from "../../signatures/summaries";
import type { CaptureFilter } from "../filter";
import { serveBody, type BodyResponse } from "../serve-body";
import { getCaptureOfEndpoint, listCaptures, type CapturePage } from "../store";
import { maskCapturePage, maskedView, storedBody, type CaptureView } from "../view";
import type { CaptureAccess, ShareAccess } from "./access";

export interface PageOptions extends CaptureFilter {
  limit: number;
  before?: number;
}

/** A list row: the masked summary with its sender, event type, delivery id and signature status. */
export type CaptureRow = CaptureSummary | CaptureDetailView;

export interface CaptureListView {
  captures: CaptureRow[];
  /** Pass as `before` for the next (older) page; null when this page reaches the oldest. */
  nextBefore: number | null;
}

/** The detail as the caller may see it, with its signature summary (null: the capture is gone). */
export type CaptureDetailView = Omit<CaptureView, "signature"> & { signature: CaptureSignature | null };

/**
 * The one place the list reads its candidate rows (lib/capture/store.ts listCaptures): text search
 * sees what the caller may see, so a masked value cannot be probed by searching for it.
 */
function candidatePage(access: CaptureAccess, opts: PageOptions): Promise<CapturePage> {
  return listCaptures(access.endpointId, { ...opts, redactWith: access.canReveal ? undefined : access.rules });
}

/**
 * A page of the endpoint's captures, newest first. Rows are always masked (a member reveals one
 * capture at a time, in its detail) and show what the masked detail shows: the masked query, the
 * served body's size and type, and the signature summary detected on the masked form. A decision
 * covering one capture (a share link to it) lists that capture alone.
 */
export async function listView(access: CaptureAccess, opts: PageOptions): Promise<CaptureListView> {
  if (access.captureId !== null) {
    // The masked detail already carries the masked query and the served body's size and type.
    return { captures: [await detailView({ ...access, reveal: false }, access.captureId)], nextBefore: null };
  }
  const shown = await maskCapturePage(await candidatePage(access, opts), access.rules);
  return { ...shown, captures: await withSignatures(access.endpointId, shown.captures, access.rules) };
}

/** The capture the decision covers, read within its endpoint (a capture outside it is a 404). */
async function coveredCapture(access: CaptureAccess, captureId: string): Promise<CaptureDetail> {
  if (access.captureId !== null && access.captureId !== captureId) throw notFound("capture");
  return getCaptureOfEndpoint(access.endpointId, captureId);
}

async function auditMember(access: CaptureAccess, action: "capture.reveal" | "capture.export", captureId: string, detail: object) {
  if (access.viewer.kind !== "member") return;
  await audit(access.viewer.principal, {
    workspaceId: access.workspaceId,
    action,
    targetType: "capture",
    targetId: captureId,
    detail: { endpointId: access.endpointId, ...detail },
    ip: access.ip,
  });
}

/** One capture: masked, or revealed when the decision grants it (audited as capture.reveal). */
export async function detailView(access: CaptureAccess, captureId: string): Promise<CaptureDetailView> {
  const detail = await coveredCapture(access, captureId);
  const base = { canReveal: access.canReveal };
  if (access.reveal) {
    await auditMember(access, "capture.reveal", captureId, { part: "headers" });
    const view: CaptureView = { ...detail, masked: null, ...base, revealed: true };
    return { ...view, signature: await signatureForCapture(access.endpointId, view, null) };
  }
  const view: CaptureView = { ...(await maskedView(detail, await storedBody(captureId), access.rules)), ...base, revealed: false };
  return { ...view, signature: await signatureForCapture(access.endpointId, view, access.rules) };
}

export interface BodyOptions {
  /** An export (the Download button, scripts): audited whether masked or not. */
  download?: boolean;
  /** Undo Content-Encoding (bounded). */
  decode?: boolean;
}

/**
 * The body: masked unless the decision reveals it (the exact stored bytes). A reveal or a download
 * by a member is audited.
 */
export async function bodyView(access: CaptureAccess, captureId: string, opts: BodyOptions = {}): Promise<BodyResponse> {
  const detail = await coveredCapture(access, captureId);
  const raw = await storedBody(captureId);
  if (access.reveal || opts.download) {
    await auditMember(access, opts.download ? "capture.export" : "capture.reveal", captureId, { part: "body", masked: !access.reveal });
  }
  // The stored headers and content type: a rule may mask Content-Encoding or Content-Type in the view.
  return serveBody(raw, detail.headers, detail.contentType, access.reveal ? null : access.rules, opts.decode === true);
}

export interface ShareRoot {
  kind: "endpoint" | "capture";
  name: string;
  expiresAt: string;
  /** kind "capture": the shared capture. */
  capture?: CaptureDetailView;
  /** kind "endpoint": the newest captures (page on with /api/share/<token>/captures?before=). */
  captures?: CaptureRow[];
  nextBefore?: number | null;
}

/** What a share link opens on: the shared capture, or the endpoint's newest page (the same views a viewer gets). */
export async function shareView(access: ShareAccess): Promise<ShareRoot> {
  const { share } = access.viewer;
  const base = { name: share.endpointName, expiresAt: share.expiresAt.toISOString() };
  if (share.captureId) return { kind: "capture", ...base, capture: await detailView(access, share.captureId) };
  const page = await listView(access, { limit: 50 });
  return { kind: "endpoint", ...base, captures: page.captures, nextBefore: page.nextBefore };
}
