// Read-only share links to one endpoint (its live list included) or one capture. The token is 192
// bits derived from the server secret and the link id (HMAC), so the server can show the URL
// again in endpoint settings while the database holds only its sha256: a database leak alone
// does not yield working links. Expired, revoked and unknown links all answer the same 404.
import "../runtime/server-only";
import { createHmac } from "node:crypto";
import { z } from "zod";
import { db } from "../db/client";
import type { Principal } from "../auth/principal";
import { AppError, notFound } from "../errors";
import { audit } from "../audit/audit";
import { endpointAccess } from "../endpoints/access";
import { hashToken } from "../auth/request";
import { sharedThrottles } from "../auth/throttle";
import { config } from "../config";
import { signingSecret } from "../runtime/secret";
import { newShareLinkId } from "../runtime/ids";
import { shared } from "../runtime/shared";

const MAX_TTL_MS = 365 * 86_400_000;

export const createShareLinkSchema = z
  .object({
    /** Share one capture of the endpoint instead of the whole endpoint. */
    captureId: z.string().min(1).max(64).optional(),
    /** Lifetime in seconds (default SHARE_LINK_TTL, at most a year). */
    expiresInSeconds: z
      .number()
      .int()
      .min(60)
      .max(MAX_TTL_MS / 1000)
      .optional(),
    label: z.string().trim().min(1).max(120).optional(),
  })
  .strict();

export interface ShareLinkView {
  id: string;
  url: string;
  endpointId: string;
  captureId: string | null;
  label: string | null;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  views: number;
  /** active | expired | revoked */
  state: "active" | "expired" | "revoked";
}

export function shareToken(id: string): string {
  return `hs_shr_${createHmac("sha256", signingSecret()).update(`share-link:${id}`).digest("base64url").slice(0, 32)}`;
}

export function shareUrl(id: string): string {
  return `${config().publicUrl}/s/${shareToken(id)}`;
}

type Row = {
  id: string;
  endpointId: string;
  captureId: string | null;
  label: string | null;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  views: number;
};

function viewOf(r: Row, now = new Date()): ShareLinkView {
  return {
    id: r.id,
    url: shareUrl(r.id),
    endpointId: r.endpointId,
    captureId: r.captureId,
    label: r.label,
    createdAt: r.createdAt.toISOString(),
    expiresAt: r.expiresAt.toISOString(),
    revokedAt: r.revokedAt?.toISOString() ?? null,
    views: r.views,
    state: r.revokedAt ? "revoked" : r.expiresAt <= now ? "expired" : "active",
  };
}

export async function createShareLink(
  principal: Principal,
  endpointId: string,
  input: z.infer<typeof createShareLinkSchema>,
): Promise<ShareLinkView> {
  const access = await endpointAccess(principal, endpointId, "share.manage");
  if (input.captureId) {
    const capture = await db().capture.findFirst({ where: { id: input.captureId, endpointId }, select: { id: true } });
    if (!capture) throw notFound("capture");
  }
  const id = newShareLinkId();
  const ttl = input.expiresInSeconds !== undefined ? input.expiresInSeconds * 1000 : config().SHARE_LINK_TTL;
  const row = await db().shareLink.create({
    data: {
      id,
      workspaceId: access.workspaceId,
      endpointId,
      captureId: input.captureId ?? null,
      tokenHash: hashToken(shareToken(id)),
      label: input.label ?? null,
      createdBy: principal.label,
      expiresAt: new Date(Date.now() + Math.min(ttl, MAX_TTL_MS)),
    },
  });
  await audit(principal, {
    workspaceId: access.workspaceId,
    action: "share.create",
    targetType: input.captureId ? "capture" : "endpoint",
    targetId: input.captureId ?? endpointId,
    detail: { shareLinkId: id, expiresAt: row.expiresAt.toISOString() },
  });
  return viewOf(row);
}

export async function listShareLinks(principal: Principal, endpointId: string): Promise<ShareLinkView[]> {
  await endpointAccess(principal, endpointId, "share.manage");
  const rows = await db().shareLink.findMany({ where: { endpointId }, orderBy: { createdAt: "desc" } });
  const now = new Date();
  return rows.map((r) => viewOf(r, now));
}

export async function revokeShareLink(principal: Principal, id: string): Promise<void> {
  const row = await db().shareLink.findUnique({ where: { id }, select: { endpointId: true, revokedAt: true } });
  if (!row) throw notFound("share link");
  // Not allowed to see the endpoint → the link does not exist for this caller either.
  const access = await endpointAccess(principal, row.endpointId, "share.manage").catch((err) => {
    if (err instanceof AppError && err.status === 404) throw notFound("share link");
    throw err;
  });
  if (!row.revokedAt) await db().shareLink.update({ where: { id }, data: { revokedAt: new Date() } });
  await audit(principal, { workspaceId: access.workspaceId, action: "share.revoke", targetType: "share_link", targetId: id });
  endShareStreams(id);
  for (const listener of revokeListeners()) listener(id);
}

type RevokeListener = (shareLinkId: string) => void;
const revokeListeners = () => shared("share-revoke-listeners", () => new Set<RevokeListener>());
/** Per share link id, the live streams open here (each one's abort). */
const openShareStreams = () => shared("share-streams", () => new Map<string, Set<() => void>>());

/** Hears every revocation made in this process (cluster mode tells the other instances: lib/cluster). */
export function onShareRevoked(listener: RevokeListener): () => void {
  revokeListeners().add(listener);
  return () => revokeListeners().delete(listener);
}

/** Ends this process's live streams of a revoked link at once (a revocation here or on another instance). */
export function endShareStreams(shareLinkId: string): void {
  const aborts = openShareStreams().get(shareLinkId);
  if (!aborts) return;
  openShareStreams().delete(shareLinkId);
  for (const abort of aborts) abort();
}

export interface OpenShare {
  id: string;
  workspaceId: string | null;
  endpointId: string;
  captureId: string | null;
  expiresAt: Date;
  endpointName: string;
}

// Guessing share tokens: failed lookups per client address are limited (and every token has 192
// random bits, so the limit is about noise and load, not odds).
const FAILURE_LIMIT = 30;
const FAILURE_WINDOW_MS = 60_000;
const failures = () => shared("share-failures", () => new Map<string, { count: number; since: number }>());

export class ShareRateLimited extends AppError {
  constructor(retryAfterSeconds: number) {
    super("rate_limited", "Too many unknown share links from this address; wait a minute.", retryAfterSeconds);
  }
}

/** Counts a miss: in Redis (cluster mode, shared by every instance) and in this process (the fallback while Redis is down). */
async function noteFailure(ip: string | null) {
  if (!ip) return;
  noteLocalFailure(ip);
  await sharedThrottles()?.missNoted("share", ip, FAILURE_WINDOW_MS);
}

function noteLocalFailure(ip: string) {
  const map = failures();
  const now = Date.now();
  const entry = map.get(ip);
  if (!entry || now - entry.since > FAILURE_WINDOW_MS) map.set(ip, { count: 1, since: now });
  else entry.count++;
  if (map.size > 50_000) map.clear();
}

/**
 * Seconds until this address may try unknown share links again; null when it is not limited. Every
 * instance's misses together in cluster mode (Redis), else (or while Redis cannot answer) this process's.
 */
export async function shareGuessesLimited(ip: string | null): Promise<number | null> {
  if (!ip) return null;
  const misses = await sharedThrottles()?.missesRead("share", ip);
  if (misses) return misses.count >= FAILURE_LIMIT && misses.leftMs > 0 ? Math.max(1, Math.ceil(misses.leftMs / 1000)) : null;
  return localGuessesLimited(ip);
}

function localGuessesLimited(ip: string): number | null {
  const entry = failures().get(ip);
  if (!entry || entry.count < FAILURE_LIMIT) return null;
  const left = entry.since + FAILURE_WINDOW_MS - Date.now();
  return left >= 0 ? Math.max(1, Math.ceil(left / 1000)) : null;
}

/** The live share behind a token: expired, revoked, unknown (and a deleted endpoint) → the same 404. */
export async function openShare(token: string, ip: string | null): Promise<OpenShare> {
  const retryAfter = await shareGuessesLimited(ip);
  if (retryAfter !== null) throw new ShareRateLimited(retryAfter);
  const row = /^hs_shr_[A-Za-z0-9_-]{32}$/.test(token)
    ? await db().shareLink.findUnique({
        where: { tokenHash: hashToken(token) },
        include: { endpoint: { select: { name: true, expiresAt: true } } },
      })
    : null;
  const now = new Date();
  if (!row || row.revokedAt || row.expiresAt <= now || (row.endpoint.expiresAt && row.endpoint.expiresAt <= now)) {
    await noteFailure(ip);
    throw notFound("share link");
  }
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    endpointId: row.endpointId,
    captureId: row.captureId,
    expiresAt: row.expiresAt,
    endpointName: row.endpoint.name,
  };
}

/** One view of a share (the page or its JSON form): counted and audited. */
export async function recordShareView(share: OpenShare, ip: string | null): Promise<void> {
  await db().shareLink.update({ where: { id: share.id }, data: { views: { increment: 1 } } });
  await audit(
    { actorType: "share", actorId: share.id, actorLabel: `share link ${share.id}` },
    {
      workspaceId: share.workspaceId,
      action: "share.view",
      targetType: share.captureId ? "capture" : "endpoint",
      targetId: share.captureId ?? share.endpointId,
      detail: { shareLinkId: share.id },
      ip,
    },
  );
}

/** A capture a share may show: the shared one, or any capture of the shared endpoint. */
export function assertShareCovers(share: OpenShare, captureId: string): void {
  if (share.captureId && share.captureId !== captureId) throw notFound("capture");
}

const SHARE_STREAM_REVALIDATE_MS = 5000;

/**
 * The signal a share's live stream runs under: aborted with the request, when the link expires (the
 * client's reconnect then gets the 404 of a dead link), at once when it is revoked here (or, in
 * cluster mode, on another instance: endShareStreams), and at the latest within
 * SHARE_STREAM_REVALIDATE_MS of a revocation that was not heard of (Redis down).
 */
export function shareStreamSignal(share: OpenShare, token: string, request: AbortSignal): AbortSignal {
  const abort = new AbortController();
  request.addEventListener("abort", () => abort.abort(), { once: true });
  const timer = setTimeout(() => abort.abort(), Math.max(0, Math.min(share.expiresAt.getTime() - Date.now(), 2 ** 31 - 1)));
  const revalidate = setInterval(() => void openShare(token, null).catch(() => abort.abort()), SHARE_STREAM_REVALIDATE_MS);
  const end = () => abort.abort();
  const streams = openShareStreams();
  const mine = streams.get(share.id) ?? new Set<() => void>();
  streams.set(share.id, mine.add(end));
  abort.signal.addEventListener(
    "abort",
    () => {
      clearTimeout(timer);
      clearInterval(revalidate);
      mine.delete(end);
      if (mine.size === 0 && streams.get(share.id) === mine) streams.delete(share.id);
    },
    { once: true },
  );
  return abort.signal;
}
