// Capture reads, scoped to a principal (writes: lib/capture/write/; the live event: lib/live/event.ts).
import "../runtime/server-only";
import { db, dbProvider } from "../db/client";
import { ownedBy, type Principal } from "../auth/principal";
import { redactBodyOffThread, redactHeadersOffThread } from "../redaction/regex-pool";
import type { RedactionRule } from "../redaction/rules";
import { notFound } from "../errors";
import type { CaptureDetail, CaptureSummary, HeaderPairs } from "../model/capture";
import { endpointSeqs, purge } from "../jobs/purge";
import { bodyContains, headersContain, matchesSummary, normalizeFilter, type CaptureFilter } from "./filter";
import { LIVE_RAW, type LiveRaw } from "../live/event";

const summarySelect = {
  id: true,
  endpointId: true,
  seq: true,
  method: true,
  path: true,
  query: true,
  contentType: true,
  bodySize: true,
  remoteAddr: true,
  receivedAt: true,
  rejected: true,
  responseStatus: true,
} as const;

type SummaryRow = Omit<CaptureSummary, "receivedAt" | "response"> & { receivedAt: bigint | number; responseStatus: number };

/** A stored row's summary columns as the API shows them (lists, search pages). */
export function toSummary(r: SummaryRow): CaptureSummary {
  return {
    id: r.id,
    endpointId: r.endpointId,
    seq: r.seq,
    method: r.method,
    path: r.path,
    query: r.query,
    contentType: r.contentType,
    bodySize: r.bodySize,
    remoteAddr: r.remoteAddr,
    receivedAt: Number(r.receivedAt),
    rejected: r.rejected,
    response: { status: r.responseStatus },
  };
}

const scoped = (principal: Principal) => ({ endpoint: ownedBy(principal) });

export interface CapturePage {
  captures: CaptureSummary[];
  /** Pass as `before` for the next (older) page; null when this page reaches the oldest. */
  nextBefore: number | null;
}

/** At most this many captures are examined per request when `q` (headers/body text) is set. */
export const TEXT_SCAN_ROWS = 2000;
/** …and at most this many body bytes read (a single larger body is still read on its own). */
export const TEXT_SCAN_BYTES = 32 * 1024 * 1024;
const TEXT_SCAN_BATCH = 250;

/** LIKE wildcards: Prisma's `contains` passes them through unescaped on both providers. */
const LIKE_WILDCARD = /[%_]/;

/**
 * Prisma `where` for method and path: exact method, case-insensitive path substring on both
 * providers. A path with `%` or `_` is narrowed by its wildcard-free pieces here and matched
 * exactly in JS (see listCaptures).
 */
function filterWhere(filter: CaptureFilter | undefined) {
  const insensitive = dbProvider() === "postgresql" ? ({ mode: "insensitive" } as object) : {};
  const pieces = filter?.path ? filter.path.split(LIKE_WILDCARD).filter(Boolean) : [];
  return {
    ...(filter?.method && { method: filter.method }),
    ...(pieces.length > 0 && { AND: pieces.map((piece) => ({ path: { contains: piece, ...insensitive } })) }),
  };
}

/**
 * Newest first. The caller has checked that the principal may see the endpoint.
 *
 * `method` and `path` filter in the database. `q` (text in the headers or the body) cannot: the
 * body is a Bytes column, which Prisma can only compare for equality on either provider, and
 * headers are a JSON string. So with `q` the candidates (already narrowed by method and path) are
 * read newest first in batches and matched here with the same predicate the browser uses, reading
 * at most TEXT_SCAN_ROWS captures and TEXT_SCAN_BYTES of bodies per request. Such a page can hold
 * fewer than `limit` captures (even none) while `nextBefore` is not null: keep following it.
 * A path filter holding `%` or `_` takes the same road (LIKE would treat them as wildcards).
 */
export async function listCaptures(
  endpointId: string,
  opts: { limit: number; before?: number; redactWith?: readonly RedactionRule[] } & CaptureFilter,
): Promise<CapturePage> {
  const filter = normalizeFilter(opts) ?? undefined;
  const where = { endpointId, ...filterWhere(filter) };
  if (!filter?.q && !LIKE_WILDCARD.test(filter?.path ?? "")) {
    const rows = await db().capture.findMany({
      where: { ...where, ...(opts.before !== undefined && { seq: { lt: opts.before } }) },
      orderBy: { seq: "desc" },
      take: opts.limit + 1,
      select: summarySelect,
    });
    const page = rows.slice(0, opts.limit).map(toSummary);
    return { captures: page, nextBefore: rows.length > opts.limit ? (page.at(-1)?.seq ?? null) : null };
  }

  const q = filter!.q;
  const matches: CaptureSummary[] = [];
  let cursor = opts.before;
  let scannedRows = 0;
  let scannedBytes = 0;
  for (;;) {
    const batch = await db().capture.findMany({
      where: { ...where, ...(cursor !== undefined && { seq: { lt: cursor } }) },
      orderBy: { seq: "desc" },
      take: TEXT_SCAN_BATCH,
      select: { ...summarySelect, headers: true },
    });
    if (batch.length === 0) return { captures: matches, nextBefore: null };

    // Bodies only for the rows the headers did not already match, within the byte budget.
    const headerHit = new Set<number>();
    const wanted: number[] = [];
    let budgetStop = batch.length;
    for (let i = 0; i < batch.length; i++) {
      const row = batch[i]!;
      if (!matchesSummary(filter, row)) continue;
      const headers = JSON.parse(row.headers) as HeaderPairs;
      // Masked off this thread when the regex work is large (over budget: every value masked, no match).
      if (!q || headersContain(opts.redactWith ? (await redactHeadersOffThread(headers, opts.redactWith)).pairs : headers, q)) {
        headerHit.add(row.seq);
        continue;
      }
      if (row.bodySize === 0) continue;
      if (scannedBytes + row.bodySize > TEXT_SCAN_BYTES && (scannedBytes > 0 || wanted.length > 0)) {
        budgetStop = i;
        break;
      }
      scannedBytes += row.bodySize;
      wanted.push(row.seq);
    }
    const bodies = new Map<number, Uint8Array>();
    for (let i = 0; i < wanted.length; i += 50) {
      const chunk = await db().capture.findMany({
        where: { seq: { in: wanted.slice(i, i + 50) } },
        select: { seq: true, body: true, contentType: true },
      });
      // Masked off this thread when the regex work is large; over budget the body is withheld (empty: no match).
      for (const r of chunk)
        bodies.set(r.seq, opts.redactWith ? (await redactBodyOffThread(r.body, r.contentType, opts.redactWith)).bytes : r.body);
    }

    for (let i = 0; i < budgetStop; i++) {
      const row = batch[i]!;
      cursor = row.seq;
      scannedRows++;
      if (headerHit.has(row.seq) || (q !== undefined && bodyContains(bodies.get(row.seq), q))) {
        matches.push(toSummary(row));
        if (matches.length >= opts.limit) return { captures: matches, nextBefore: row.seq };
      }
      if (scannedRows >= TEXT_SCAN_ROWS) return { captures: matches, nextBefore: row.seq };
    }
    if (budgetStop < batch.length) return { captures: matches, nextBefore: cursor ?? null };
    if (batch.length < TEXT_SCAN_BATCH) return { captures: matches, nextBefore: null };
  }
}

/** Oldest first, for replaying what a live client missed. */
export async function capturesAfter(endpointId: string, afterSeq: number, limit: number): Promise<CaptureSummary[]> {
  const rows = await db().capture.findMany({
    where: { endpointId, seq: { gt: afterSeq } },
    orderBy: { seq: "asc" },
    take: limit,
    select: summarySelect,
  });
  return rows.map(toSummary);
}

/**
 * capturesAfter with each row's raw headers and body attached out of band (LIVE_RAW), as a live
 * event from the door carries them: cluster mode delivers captures committed on other instances
 * from here (lib/cluster/live-feed.ts), and the stream detects their sender like a local one's.
 */
export async function liveCapturesAfter(endpointId: string, afterSeq: number, limit: number): Promise<CaptureSummary[]> {
  const rows = await db().capture.findMany({
    where: { endpointId, seq: { gt: afterSeq } },
    orderBy: { seq: "asc" },
    take: limit,
    select: { ...summarySelect, headers: true, body: true },
  });
  return rows.map((row) => {
    const summary = toSummary(row);
    const raw: LiveRaw = { headers: JSON.parse(row.headers) as HeaderPairs, body: Buffer.from(row.body), contentType: row.contentType };
    Object.defineProperty(summary, LIVE_RAW, { value: raw, enumerable: false });
    return summary;
  });
}

export function getCapture(principal: Principal, id: string): Promise<CaptureDetail> {
  return findDetail({ id, ...scoped(principal) });
}

/** A capture of one endpoint, for a caller that has already checked its right to that endpoint (share links). */
export function getCaptureOfEndpoint(endpointId: string, id: string): Promise<CaptureDetail> {
  return findDetail({ id, endpointId });
}

async function findDetail(where: { id: string } & Record<string, unknown>): Promise<CaptureDetail> {
  const row = await db().capture.findFirst({
    where,
    select: { ...summarySelect, httpVersion: true, headers: true, bodySha256: true, durationMs: true },
  });
  if (!row) throw notFound("capture");
  return {
    ...toSummary(row),
    httpVersion: row.httpVersion,
    headers: JSON.parse(row.headers) as HeaderPairs,
    bodySha256: row.bodySha256,
    durationMs: row.durationMs,
  };
}

export async function getCaptureBody(principal: Principal, id: string): Promise<{ body: Uint8Array; contentType: string | null }> {
  const row = await db().capture.findFirst({ where: { id, ...scoped(principal) }, select: { body: true, contentType: true } });
  if (!row) throw notFound("capture");
  return row;
}

export async function deleteCapture(principal: Principal, id: string): Promise<void> {
  const { count } = await db().capture.deleteMany({ where: { id, ...scoped(principal) } });
  if (count === 0) throw notFound("capture");
}

/** The caller has checked that the principal may see the endpoint. In batches (lib/jobs/purge.ts), oldest first. */
export function clearCaptures(endpointId: string, untilSeq?: number): Promise<number> {
  return purge(endpointId, endpointSeqs(endpointId, untilSeq));
}

/** The newest sequence of an endpoint (0 when it has no captures). */
export async function latestSeq(endpointId: string): Promise<number> {
  const row = await db().capture.findFirst({ where: { endpointId }, orderBy: { seq: "desc" }, select: { seq: true } });
  return row?.seq ?? 0;
}
