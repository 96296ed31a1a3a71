// Capture rows: the batched insert used by the capture door, and the principal-scoped reads.
import { db, dbProvider } from "../db/client";
import { rawRows } from "../db/capture-adapter";
import type { Principal } from "../auth/principal";
import { notFound } from "../http/errors";
import type { CaptureDetail, CaptureSummary, HeaderPairs, NewCapture } from "./types";

const COLUMNS = [
  "id", "endpointId", "receivedAt", "method", "path", "query", "httpVersion", "headers", "body", "bodySize",
  "bodySha256", "contentType", "remoteAddr", "rejected", "responseStatus", "durationMs",
] as const;

const insertSqlCache = new Map<string, string>();

/** `INSERT … VALUES (…), (…) RETURNING` for `rows` rows: placeholders only, cached per size. */
function insertSql(provider: string, rows: number): string {
  const key = `${provider}:${rows}`;
  let sql = insertSqlCache.get(key);
  if (!sql) {
    let n = 0;
    const ph = () => (provider === "postgresql" ? `$${++n}` : "?");
    const tuples = Array.from({ length: rows }, () => `(${COLUMNS.map(ph).join(", ")})`);
    sql = `INSERT INTO "Capture" (${COLUMNS.map((c) => `"${c}"`).join(", ")}) VALUES ${tuples.join(", ")} RETURNING "id", "seq"`;
    insertSqlCache.set(key, sql);
  }
  return sql;
}

/**
 * Inserts a group of captures in one statement (one commit) and returns each id's sequence.
 * One multi-row INSERT through Prisma's driver adapter (lib/db/capture-adapter.ts), the SQL text
 * built from placeholders only and cached per group size; values are always bound parameters.
 */
export async function insertCaptures(rows: readonly NewCapture[]): Promise<Map<string, number>> {
  const params: unknown[] = [];
  for (const r of rows) {
    params.push(
      r.id, r.endpointId, BigInt(r.receivedAt), r.method, r.path, r.query, r.httpVersion, JSON.stringify(r.headers),
      r.body, r.bodySize, r.bodySha256, r.contentType, r.remoteAddr, r.rejected, r.responseStatus, r.durationMs,
    );
  }
  const inserted = await rawRows(insertSql(dbProvider(), rows.length), params);
  return new Map(inserted.map((r) => [String(r[0]), Number(r[1])]));
}

export function summaryOf(row: NewCapture, seq: number): CaptureSummary {
  return {
    id: row.id,
    endpointId: row.endpointId,
    seq,
    method: row.method,
    path: row.path,
    query: row.query,
    contentType: row.contentType,
    bodySize: row.bodySize,
    remoteAddr: row.remoteAddr,
    receivedAt: row.receivedAt,
    rejected: row.rejected,
    response: { status: row.responseStatus },
  };
}

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

type SummaryRow = Omit<CaptureSummary, "receivedAt" | "response"> & { receivedAt: bigint; responseStatus: number };

function toSummary(r: SummaryRow): CaptureSummary {
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

const scoped = (principal: Principal) => ({ endpoint: { ownerKey: principal.ownerKey } });

export interface CapturePage {
  captures: CaptureSummary[];
  /** Pass as `before` for the next (older) page; null when this page reaches the oldest. */
  nextBefore: number | null;
}

/** Newest first. The caller has checked that the principal may see the endpoint. */
export async function listCaptures(endpointId: string, opts: { limit: number; before?: number }): Promise<CapturePage> {
  const rows = await db().capture.findMany({
    where: { endpointId, ...(opts.before !== undefined && { seq: { lt: opts.before } }) },
    orderBy: { seq: "desc" },
    take: opts.limit + 1,
    select: summarySelect,
  });
  const page = rows.slice(0, opts.limit).map(toSummary);
  return { captures: page, nextBefore: rows.length > opts.limit ? (page.at(-1)?.seq ?? null) : null };
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

export async function countCaptures(endpointId: string): Promise<number> {
  return db().capture.count({ where: { endpointId } });
}

export async function getCapture(principal: Principal, id: string): Promise<CaptureDetail> {
  const row = await db().capture.findFirst({
    where: { id, ...scoped(principal) },
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

/** The caller has checked that the principal may see the endpoint. */
export async function clearCaptures(endpointId: string): Promise<number> {
  const { count } = await db().capture.deleteMany({ where: { endpointId } });
  return count;
}

/** The newest sequence of an endpoint (0 when it has no captures). */
export async function latestSeq(endpointId: string): Promise<number> {
  const row = await db().capture.findFirst({ where: { endpointId }, orderBy: { seq: "desc" }, select: { seq: true } });
  return row?.seq ?? 0;
}
