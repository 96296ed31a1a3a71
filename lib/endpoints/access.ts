// The one place that decides whether a principal may act on an endpoint or capture: not visible
// → 404 (the same answer as a missing id); visible with too low a role → 403 insufficient_role.
import "../runtime/server-only";
import { db } from "../db/client";
import { ownedBy, roleOn, type Principal } from "../auth/principal";
import { can, type Action, type Role, forbiddenRole } from "../auth/roles";
import { AppError, notFound } from "../errors";
import { resolvePrincipal, type RequestLike } from "../auth/request";
import type { StreamEnd } from "../live/stream-end";

export interface EndpointAccess {
  endpointId: string;
  workspaceId: string | null;
  role: Role;
  redactionRules: string;
  redactAtIngest: boolean;
}

const accessSelect = { id: true, workspaceId: true, ownerKey: true, redactionRules: true, redactAtIngest: true } as const;

function decide(
  principal: Principal,
  row: { id: string; workspaceId: string | null; ownerKey: string; redactionRules: string; redactAtIngest: boolean } | null,
  action: Action,
  what: string,
): EndpointAccess {
  if (!row) throw notFound(what);
  const role = roleOn(principal, row);
  if (!role) throw notFound(what);
  if (!can(role, action)) throw forbiddenRole(action);
  return { endpointId: row.id, workspaceId: row.workspaceId, role, redactionRules: row.redactionRules, redactAtIngest: row.redactAtIngest };
}

export async function endpointAccess(principal: Principal, endpointId: string, action: Action): Promise<EndpointAccess> {
  const row = await db().endpoint.findFirst({ where: { id: endpointId, ...ownedBy(principal) }, select: accessSelect });
  return decide(principal, row, action, "endpoint");
}

export async function captureAccess(principal: Principal, captureId: string, action: Action): Promise<EndpointAccess> {
  const row = await db().capture.findFirst({
    where: { id: captureId, endpoint: ownedBy(principal) },
    select: { endpoint: { select: accessSelect } },
  });
  return decide(principal, row?.endpoint ?? null, action, "capture");
}

/**
 * For a live stream of an endpoint, re-asked while it is open: resolves the credentials the
 * stream was opened with again (the request's own cookies or bearer token, as on every REST call)
 * and says why access has ended, or null while it holds.
 */
export async function streamAccessEnded(req: RequestLike, opened: Principal, endpointId: string): Promise<StreamEnd | null> {
  const now = await resolvePrincipal(req);
  if (opened.kind === "token" && now?.tokenId !== opened.tokenId) {
    return {
      reason: "token_revoked",
      message: "The API token this stream was opened with was revoked, or its creator left the workspace.",
    };
  }
  if (opened.kind === "user" && (now?.kind !== "user" || now.userId !== opened.userId)) {
    return { reason: "session_ended", message: "The session this stream was opened with has ended (signed out); sign in again." };
  }
  try {
    if (!now) throw notFound("endpoint");
    await endpointAccess(now, endpointId, "endpoint.read");
    return null;
  } catch (err) {
    if (err instanceof AppError && (err.status === 404 || err.status === 403)) {
      return {
        reason: "access_revoked",
        message: "You no longer have access to this endpoint (removed from its workspace, or the endpoint was deleted, moved or expired).",
      };
    }
    throw err;
  }
}
