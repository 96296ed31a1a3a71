// Server-side session records. The next-auth JWT alone cannot be revoked (it is valid until it
// expires, wherever a copy of the cookie is), so each sign-in creates a Session row and the JWT
// carries its id (`sid`); principal resolution (lib/auth/request.ts) accepts a session cookie only
// while that row is live. Ending a session is one UPDATE; checking it is part of the user lookup
// every request already made (a primary-key probe, no extra round trip).
import "../runtime/server-only";
import { db } from "../db/client";
import { newSecretToken } from "../runtime/ids";
import { SESSION_MAX_AGE_SECONDS } from "./session";

const LIFETIME_MS = SESSION_MAX_AGE_SECONDS * 1000;

/** Conditions for a session that still signs its holder in. */
export function liveSession(sid: string, now = new Date()) {
  return { id: sid, endedAt: null, expiresAt: { gt: now } };
}

/** Records a new session for a sign-in and returns its id (for the JWT's `sid` claim). */
export async function startSession(userId: string, ip: string | null): Promise<string> {
  const id = newSecretToken("ses");
  const now = Date.now();
  await db().session.create({ data: { id, userId, ip, expiresAt: new Date(now + LIFETIME_MS) } });
  // Housekeeping bounded by one user's rows: their expired sessions go at their next sign-in.
  // Ended ones stay until then: they still name the addresses the user signed in from.
  await db()
    .session.deleteMany({ where: { userId, expiresAt: { lt: new Date(now) } } })
    .catch(() => undefined);
  return id;
}

/** Ends one session (sign-out). Ending an unknown or ended one is a no-op. */
export async function endSession(sid: string): Promise<void> {
  await db().session.updateMany({ where: { id: sid, endedAt: null }, data: { endedAt: new Date() } });
}

/** Ends every live session of a user, except `keep` (the caller's own, on a password change). Returns how many. */
export async function endUserSessions(userId: string, keep?: string | null): Promise<number> {
  const { count } = await db().session.updateMany({
    where: { userId, endedAt: null, expiresAt: { gt: new Date() }, ...(keep ? { id: { not: keep } } : {}) },
    data: { endedAt: new Date() },
  });
  return count;
}

/** Whether the user has signed in from this address within the session lifetime (a known address). */
export async function signedInFrom(userId: string, ip: string): Promise<boolean> {
  const row = await db().session.findFirst({ where: { userId, ip, expiresAt: { gt: new Date() } }, select: { id: true } });
  return row !== null;
}

/**
 * After a user was removed from a workspace by someone else (or the workspace was deleted): once
 * they belong to no shared workspace, only their personal one (which nobody leaves) is left, and
 * their sessions end, so whatever they had open for the team (pages, live streams, a cookie on a
 * shared machine) stops at once. A removal that leaves other teams keeps the sessions: access to
 * the removed workspace already ends on every request. Returns how many sessions ended.
 */
export async function endSessionsIfNoSharedWorkspace(userId: string): Promise<number> {
  const teams = await db().membership.count({ where: { userId, workspace: { personal: false } } });
  return teams === 0 ? endUserSessions(userId) : 0;
}
