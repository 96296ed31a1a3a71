// The access decision every capture view takes, made once per call by the route, one function per
// road: a member (a principal on an endpoint or a capture, by role) or a share link (its token).
// The views (views.ts, live.ts) take this decision, never a raw id to check again: what the
// decision covers (the endpoint, one capture, reveal or not, the rules to mask with) is all they
// serve. Not visible → 404, the same answer as a missing id; visible with too low a role → 403.
import "../../runtime/server-only";
import type { Principal } from "../../auth/principal";
import type { Action, Role } from "../../auth/roles";
import { can } from "../../auth/roles";
import { captureAccess, endpointAccess } from "../../endpoints/access";
import { rulesForEndpoint } from "../../redaction/policy";
import type { RedactionRule } from "../../redaction/rules";
import { assertShareCovers, openShare, type OpenShare } from "../../sharing/share-links";

/** Who the decision was made for: a member (audited as the principal) or a share link (never reveals). */
export type CaptureViewer = { kind: "member"; principal: Principal; role: Role } | { kind: "share"; share: OpenShare };

export interface CaptureAccess {
  endpointId: string;
  workspaceId: string | null;
  viewer: CaptureViewer;
  /** The one capture this decision covers (a capture road, a share link to one capture); null: any capture of the endpoint. */
  captureId: string | null;
  /** The caller may ask for the unmasked capture (member and up). */
  canReveal: boolean;
  /** The caller asked for the unmasked capture and may have it (the views audit it). */
  reveal: boolean;
  /** The endpoint's redaction rules: what every masked view (and signature detection on it) applies. */
  rules: RedactionRule[];
  /** The client address, for the audit entries the views write. */
  ip: string | null;
}

/** A decision made on the share-link road. */
export type ShareAccess = CaptureAccess & { viewer: { kind: "share"; share: OpenShare } };

export type MemberTarget = { endpointId: string } | { captureId: string };

export interface MemberAccessOptions {
  /** The action needed (default capture.read; capture.reveal when `reveal`). */
  action?: Action;
  /** Ask for the unmasked capture: needs capture.reveal (403 below member). */
  reveal?: boolean;
  ip?: string | null;
}

/** The member road: the principal's role on the endpoint (or on the capture's endpoint). */
export async function memberAccess(principal: Principal, target: MemberTarget, opts: MemberAccessOptions = {}): Promise<CaptureAccess> {
  const reveal = opts.reveal === true;
  const action = reveal ? "capture.reveal" : (opts.action ?? "capture.read");
  const decided =
    "captureId" in target
      ? await captureAccess(principal, target.captureId, action)
      : await endpointAccess(principal, target.endpointId, action);
  return {
    endpointId: decided.endpointId,
    workspaceId: decided.workspaceId,
    viewer: { kind: "member", principal, role: decided.role },
    captureId: "captureId" in target ? target.captureId : null,
    canReveal: can(decided.role, "capture.reveal"),
    reveal,
    rules: await rulesForEndpoint(decided.endpointId),
    ip: opts.ip ?? null,
  };
}

/**
 * The share-link road: the live link behind the token (expired, revoked, unknown → the same 404),
 * narrowed to `captureId` when one is asked for (a link to one capture covers that one only).
 * Always masked: a share link can never reveal.
 */
export async function shareAccess(token: string, ip: string | null, opts: { captureId?: string } = {}): Promise<ShareAccess> {
  const share = await openShare(token, ip);
  return shareAccessOf(share, ip, opts);
}

/** shareAccess for a share already opened (the page and the share's JSON form count the view first). */
export async function shareAccessOf(share: OpenShare, ip: string | null, opts: { captureId?: string } = {}): Promise<ShareAccess> {
  if (opts.captureId !== undefined) assertShareCovers(share, opts.captureId);
  return {
    endpointId: share.endpointId,
    workspaceId: share.workspaceId,
    viewer: { kind: "share", share },
    captureId: opts.captureId ?? share.captureId,
    canReveal: false,
    reveal: false,
    rules: await rulesForEndpoint(share.endpointId),
    ip,
  };
}
