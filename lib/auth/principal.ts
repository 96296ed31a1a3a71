// Who is acting, resolved once per request on the server (lib/auth/request.ts):
// - "user": a signed-in account (next-auth JWT session whose server-side record is live, so a
//   sign-out ends it everywhere the cookie was copied); roles are read from the database on
//   every request, so a role change or removal takes effect at once;
// - "token": an API token, scoped to one workspace with a role no higher than its creator's;
// - "anonymous": a visitor without an account, owning the endpoints made under their signed
//   httpOnly hs_owner cookie (those expire after ANON_ENDPOINT_TTL).
// A user may also carry the anonymous cookie until their endpoints are claimed.
import type { Role } from "./roles";

export interface Principal {
  kind: "anonymous" | "user" | "token";
  /** workspace id → role */
  roles: ReadonlyMap<string, Role>;
  /** The anonymous owner key from the hs_owner cookie, if any. */
  ownerKey: string | null;
  userId: string | null;
  tokenId: string | null;
  /** For "user": the server-side session the request came with (lib/auth/sessions.ts). */
  sessionId?: string;
  /** For the audit log: email, token name or "anonymous". */
  label: string;
  email?: string;
  name?: string;
}

export function anonymousPrincipal(ownerKey: string): Principal {
  return { kind: "anonymous", roles: new Map(), ownerKey, userId: null, tokenId: null, label: "anonymous" };
}

/** Endpoints that have not expired (anonymous endpoints live for ANON_ENDPOINT_TTL). */
export function notExpired(now = new Date()) {
  return { OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
}

/**
 * The endpoints a principal may see: those of its workspaces, plus (for a holder of the anonymous
 * cookie) its unclaimed anonymous ones; never expired ones. Every query for an endpoint or
 * capture is scoped by this, so an id outside it is simply not found.
 */
export function ownedBy(principal: Principal) {
  const scopes: object[] = [];
  if (principal.roles.size > 0) scopes.push({ workspaceId: { in: [...principal.roles.keys()] } });
  if (principal.ownerKey) scopes.push({ ownerKey: principal.ownerKey, workspaceId: null });
  if (scopes.length === 0) return { id: { in: [] as string[] } };
  return { AND: [{ OR: scopes }, notExpired()] };
}

/** The principal's role on an endpoint it can see; the anonymous creator acts as its owner. */
export function roleOn(principal: Principal, endpoint: { workspaceId: string | null; ownerKey: string }): Role | null {
  if (endpoint.workspaceId) return principal.roles.get(endpoint.workspaceId) ?? null;
  return principal.ownerKey && principal.ownerKey === endpoint.ownerKey ? "owner" : null;
}
