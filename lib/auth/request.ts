// Resolves the caller of a route handler or page into a Principal, on the server, every time:
// an API token (Authorization: Bearer), else the next-auth session, else the anonymous cookie.
import "../runtime/server-only";
import { createHash } from "node:crypto";
import { db } from "../db/client";
import { decodeOwnerCookie, OWNER_COOKIE } from "./owner-cookie";
import type { Principal } from "./principal";
import { anonymousPrincipal } from "./principal";
import { isRole, lowerOf, type Role } from "./roles";
import { decodeSession } from "./session";
import { liveSession } from "./sessions";

export const API_TOKEN_PREFIX = "hs_tok";

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export interface RequestLike {
  headers: { get(name: string): string | null };
  cookie(name: string): string | undefined;
}

async function rolesOf(userId: string): Promise<Map<string, Role>> {
  const rows = await db().membership.findMany({ where: { userId }, select: { workspaceId: true, role: true } });
  return new Map(rows.filter((r) => isRole(r.role)).map((r) => [r.workspaceId, r.role as Role]));
}

const LAST_USED_RESOLUTION_MS = 60_000;

async function tokenPrincipal(token: string): Promise<Principal | null> {
  const row = await db().apiToken.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { user: { select: { email: true, name: true } } },
  });
  if (!row || row.revokedAt || !isRole(row.role)) return null;
  const membership = await db().membership.findUnique({
    where: { workspaceId_userId: { workspaceId: row.workspaceId, userId: row.userId } },
    select: { role: true },
  });
  // A token dies with its creator's membership, and never exceeds the creator's current role.
  if (!membership || !isRole(membership.role)) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db()
      .apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } })
      .catch(() => undefined);
  }
  return {
    kind: "token",
    roles: new Map([[row.workspaceId, lowerOf(row.role, membership.role as Role)]]),
    ownerKey: null,
    userId: row.userId,
    tokenId: row.id,
    label: `token ${row.name} (${row.user.email})`,
    email: row.user.email,
    name: row.user.name,
  };
}

/** The caller, or null when there is none (every specific resource is then a 404). */
export async function resolvePrincipal(req: RequestLike): Promise<Principal | null> {
  const authorization = req.headers.get("authorization");
  if (authorization) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    // A credential that was sent but is not valid never falls back to cookies.
    return m ? tokenPrincipal(m[1]!) : null;
  }
  const anonymous = decodeOwnerCookie(req.cookie(OWNER_COOKIE));
  const session = await decodeSession(req.cookie);
  if (session) {
    // One query, as before sessions had records: the user by primary key, if its session row (by
    // primary key too) is still live. A signed-out, ended or expired session is no session.
    const user = await db().user.findFirst({
      where: { id: session.userId, sessions: { some: liveSession(session.sessionId) } },
      select: { id: true, email: true, name: true },
    });
    if (user) {
      return {
        kind: "user",
        roles: await rolesOf(user.id),
        ownerKey: anonymous?.ownerKey ?? null,
        userId: user.id,
        tokenId: null,
        sessionId: session.sessionId,
        label: user.email,
        email: user.email,
        name: user.name,
      };
    }
  }
  return anonymous ? anonymousPrincipal(anonymous.ownerKey) : null;
}
