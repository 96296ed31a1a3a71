// What a capture looks like to whoever asks: masked by the endpoint's redaction rules unless a
// member explicitly reveals it. These are the masking primitives; the views themselves (list,
// detail, body, live event, share links) are built once from them in lib/capture/service/, so a
// masked value cannot leak by another road.
//
// A masked view describes what it shows, never the stored original: its body size, sha256 and
// content type are those of the bytes its body download serves (the stored ones when masking
// changes nothing), so neither a hash to test guesses against offline nor a length of a masked
// value comes out beside the masked bytes. The same masked capture is what a caller who cannot
// reveal verifies signatures and diffs edits against (lib/capture/service/verify.ts, lib/replay/attempt-diff.ts).
import "../runtime/server-only";
import { createHash } from "node:crypto";
import { db } from "../db/client";
import { notFound } from "../errors";
import type { BodyMaskEntry, HeaderMaskEntry, QueryMaskEntry } from "../redaction/mask";
import { needsPartsWorker, redactParts } from "../redaction/parts";
import { redactPartsOffThread } from "../redaction/regex-pool";
import type { RedactionRule } from "../redaction/rules";
import type { CaptureDetail, CaptureSummary, HeaderPairs } from "../model/capture";
import { liveRawOf } from "../live/event";
import { bodyFacts, maskBodyFactHeaders, serveBody, serveBodySync, type BodyResponse } from "./serve-body";

export interface CaptureView extends Omit<CaptureDetail, "bodySha256"> {
  /**
   * The sha256 of the bytes this view's body download serves: the stored bytes' when revealed or
   * when masking changes nothing, the masked bytes' otherwise; null when the masked view withholds
   * the body (see serveBody). `bodySize` and `contentType` likewise describe what is shown.
   */
  bodySha256: string | null;
  /** What was masked (null when revealed). Values are never included. */
  masked: { headers: HeaderMaskEntry[]; query: QueryMaskEntry[]; body: BodyMaskEntry[] } | null;
  /** The caller may ask for the unmasked capture (?reveal=1). */
  canReveal: boolean;
  revealed: boolean;
  /** Masking the body would have exceeded the redaction budget: it is withheld (bodySha256 null). */
  budgetExceeded?: boolean;
}

const _sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

const withQuery = <T extends CaptureSummary>(summary: T, query: string): T => (query === summary.query ? summary : { ...summary, query });

/**
 * Query masking for list rows and live events (the list shows the query string): on this thread,
 * or null when the regex work belongs in a redaction worker (maskSummaries).
 */
function maskSummarySync<T extends CaptureSummary>(summary: T, rules: readonly RedactionRule[]): T | null {
  if (!summary.query) return summary;
  const input = { headers: [], queries: [summary.query] };
  if (needsPartsWorker(input, rules)) return null;
  return withQuery(summary, redactParts(input, rules).queries[0]!.query);
}

/** The queries of many summaries in one masking call (in a redaction worker when their regex work is large). */
async function maskSummaries<T extends CaptureSummary>(summaries: readonly T[], rules: readonly RedactionRule[]): Promise<T[]> {
  const withQueries = summaries.filter((s) => s.query);
  if (withQueries.length === 0) return [...summaries];
  const masked = await redactPartsOffThread({ headers: [], queries: withQueries.map((s) => s.query) }, rules);
  const byId = new Map(withQueries.map((s, i) => [s.id, masked.queries[i]!.query]));
  return summaries.map((s) => withQuery(s, byId.get(s.id) ?? s.query));
}

/** The stored body bytes (the caller has read the capture within its access decision). */
export async function storedBody(captureId: string): Promise<Uint8Array> {
  const row = await db().capture.findUnique({ where: { id: captureId }, select: { body: true } });
  if (!row) throw notFound("capture");
  return row.body;
}

/** The parts of a stored capture masking works on. */
export interface StoredParts {
  headers: HeaderPairs;
  query: string;
  body: Uint8Array;
  contentType: string | null;
}

export interface MaskedCapture {
  headers: HeaderPairs;
  query: string;
  /** The body bytes the masked view serves (see serveBody). */
  body: Uint8Array;
  served: BodyResponse;
  masked: { headers: HeaderMaskEntry[]; query: QueryMaskEntry[]; body: BodyMaskEntry[] };
}

/**
 * A capture as a caller without reveal sees it: masked headers and query, and the body its
 * download serves. The one definition of "what they may see", for views and for the callers
 * that verify or diff on a viewer's behalf.
 */
export async function maskedCapture(parts: StoredParts, rules: readonly RedactionRule[]): Promise<MaskedCapture> {
  // Headers and query in one masking call: in a redaction worker when their regex work is large.
  const shown = await redactPartsOffThread({ headers: [parts.headers], queries: [parts.query] }, rules);
  const query = shown.queries[0]!;
  const served = await serveBody(parts.body, parts.headers, parts.contentType, rules, false);
  const headers = maskBodyFactHeaders(shown.headers[0]!, served);
  return {
    headers: headers.pairs,
    query: query.query,
    body: served.body,
    served,
    masked: { headers: headers.masked, query: query.masked, body: served.entries },
  };
}

/** The masked detail: what a caller without reveal sees (lib/capture/service/views.ts). */
export async function maskedView(
  detail: CaptureDetail,
  raw: Uint8Array,
  rules: readonly RedactionRule[],
): Promise<Omit<CaptureView, "canReveal" | "revealed">> {
  const m = await maskedCapture({ headers: detail.headers, query: detail.query, body: raw, contentType: detail.contentType }, rules);
  return {
    ...detail,
    headers: m.headers,
    query: m.query,
    ...bodyFacts(detail, m.served),
    masked: m.masked,
    ...(m.served.budgetExceeded ? { budgetExceeded: true } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// List rows and live events: the same body facts as the detail (size and content type of what the
// body download serves), so a row cannot show the length of what its detail masks.

/** Body bytes a masked list page reads, at most: past it the page ends early (`nextBefore` goes on from there). */
export const MASKED_PAGE_BODY_BYTES = 32 * 1024 * 1024;

type RawParts = Pick<StoredParts, "headers" | "body" | "contentType">;

function withFacts<T extends CaptureSummary>(summary: T, served: BodyResponse): T {
  const { bodySize, contentType } = bodyFacts(summary, served);
  return bodySize === summary.bodySize && contentType === summary.contentType ? summary : { ...summary, bodySize, contentType };
}

/**
 * A masked page of summaries (query masked; size and content type of the served body). Bodies are
 * read by primary key, at most MASKED_PAGE_BODY_BYTES per page: a page that would read more ends
 * early (always with at least one row), and `nextBefore` continues after its last row.
 */
export async function maskCapturePage<T extends CaptureSummary>(
  page: { captures: T[]; nextBefore: number | null },
  rules: readonly RedactionRule[],
): Promise<{ captures: T[]; nextBefore: number | null }> {
  let budget = MASKED_PAGE_BODY_BYTES;
  let keep = page.captures.length;
  for (let i = 0; i < page.captures.length; i++) {
    const size = page.captures[i]!.bodySize;
    if (i > 0 && size > budget) {
      keep = i;
      break;
    }
    budget -= size;
  }
  const kept = page.captures.slice(0, keep);
  const nextBefore = keep < page.captures.length ? kept[kept.length - 1]!.seq : page.nextBefore;
  const rows = new Map<string, RawParts>();
  for (let i = 0; i < kept.length; i += 50) {
    const ids = kept.slice(i, i + 50).map((c) => c.id);
    // By primary key alone: the ids come from a page already scoped to the endpoint.
    for (const r of await db().capture.findMany({
      where: { id: { in: ids } },
      select: { id: true, headers: true, body: true, contentType: true },
    })) {
      rows.set(r.id, { headers: JSON.parse(r.headers) as HeaderPairs, body: r.body, contentType: r.contentType });
    }
  }
  const captures: T[] = [];
  // Deleted since the page was read: it would be a 404 now; leave it out.
  for (const c of await maskSummaries(
    kept.filter((k) => rows.has(k.id)),
    rules,
  )) {
    const raw = rows.get(c.id)!;
    captures.push(withFacts(c, await serveBody(raw.body, raw.headers, raw.contentType, rules, false)));
  }
  return { captures, nextBefore };
}

/**
 * A live event, masked like a list row. Live events carry their raw row (no database read); a body
 * without Content-Encoding is masked at once, so the event keeps its place in the stream's batch;
 * an encoded one, or an event replayed from the database, is a promise (the stream keeps the order).
 */
export function maskLiveSummary<T extends CaptureSummary>(summary: T, rules: readonly RedactionRule[]): T | Promise<T> {
  const now = maskSummarySync(summary, rules);
  if (now === null) return maskSummaries([summary], rules).then(([shown]) => maskLiveBody(summary, shown!, rules));
  return maskLiveBody(summary, now, rules);
}

function maskLiveBody<T extends CaptureSummary>(summary: T, shown: T, rules: readonly RedactionRule[]): T | Promise<T> {
  const raw = liveRawOf(summary);
  if (raw) {
    const now = serveBodySync(raw.body, raw.headers, raw.contentType, rules, false);
    if (now) return withFacts(shown, now);
    return serveBody(raw.body, raw.headers, raw.contentType, rules, false).then((served) => withFacts(shown, served));
  }
  return db()
    .capture.findUnique({ where: { id: summary.id }, select: { headers: true, body: true, contentType: true } })
    .then(async (row) => {
      if (!row) throw notFound("capture");
      return withFacts(shown, await serveBody(row.body, JSON.parse(row.headers) as HeaderPairs, row.contentType, rules, false));
    });
}
