// The confirm step of a search: the rows the SQL superset selected, as SearchDocs, checked with the
// in-memory evaluator. A caller who may reveal is checked on the document the projection holds
// (no body read); one who may not (viewers, share links) on the MASKED document: headers, query
// and body through the endpoint's redaction (lib/capture/view.ts maskedCapture, the same masking
// the detail view serves), then searchDocOf. So a masked value is never findable, whatever the
// projection holds. Signature-derived fields (event, delivery) are kept on the masked document only
// when their value is still visible in its masked headers.
import "../runtime/server-only";
import { maskedCapture } from "../capture/view";
import type { HeaderPairs } from "../model/capture";
import type { RedactionRule } from "../redaction/rules";
import { searchDocOf } from "./build-doc";
import type { BodyType, SearchDoc, SignatureState } from "./doc";

/** One candidate row as the search statement reads it (Capture + CaptureSearch + SignatureCheck). */
export interface CandidateRow {
  seq: number;
  id: string;
  endpointId: string;
  method: string;
  path: string;
  query: string;
  headers: string;
  contentType: string | null;
  bodySize: number;
  remoteAddr: string;
  receivedAt: number | bigint;
  rejected: string | null;
  responseStatus: number;
  /** null: no projection row yet (being backfilled). */
  text: string | null;
  bodyStart: number | null;
  bodyType: string | null;
  provider: string | null;
  event: string | null;
  delivery: string | null;
  json: unknown;
  form: string | null;
  sig: string | null;
  /** The compiler's subset condition held: a match without confirming (a caller who may reveal). */
  sure?: number | boolean | null;
}

/** The columns a candidate is read with (jsonb as its text on PostgreSQL, as SQLite keeps it). */
export function candidateColumns(provider: "sqlite" | "postgresql"): string {
  return `c."seq", c."id", c."endpointId", c."method", c."path", c."query", c."headers", c."contentType",
  c."bodySize", c."remoteAddr", c."receivedAt", c."rejected", c."responseStatus", s."text", s."bodyStart", s."bodyType",
  s."provider", s."event", s."delivery", ${provider === "postgresql" ? `s."json"::text AS "json"` : `json(s."json") AS "json"`}, s."form", k."status" AS "sig"`;
}

const SIG_STATES = new Set(["valid", "invalid", "stale", "unknown"]);
const sigOf = (s: string | null): SignatureState => (s && SIG_STATES.has(s) ? (s as SignatureState) : "unknown");

/** SQLite returns the json column as text (a bare number as a number), PostgreSQL's jsonb as a value. */
function jsonOf(v: unknown): unknown {
  if (v === null || v === undefined) return undefined;
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v);
  } catch {
    return undefined;
  }
}

/** The document the projection row holds (the stored, unmasked capture). Null when there is no projection row. */
export function projectionDoc(r: CandidateRow, alias: string | null): SearchDoc | null {
  if (r.text === null || r.bodyStart === null) return null;
  return {
    method: r.method.toUpperCase(),
    path: r.path,
    query: r.query,
    headers: JSON.parse(r.headers) as HeaderPairs,
    bodyText: r.text.slice(r.bodyStart),
    bodyType: (r.bodyType ?? "empty") as BodyType,
    json: r.bodyType === "json" ? jsonOf(r.json) : undefined,
    form: r.form ? (JSON.parse(r.form) as [string, string][]) : undefined,
    status: r.responseStatus,
    size: r.bodySize,
    receivedAt: Number(r.receivedAt),
    ip: r.remoteAddr,
    rejected: r.rejected,
    sig: sigOf(r.sig),
    provider: r.provider,
    event: r.event,
    delivery: r.delivery,
    endpointId: r.endpointId,
    endpointAlias: alias,
  };
}

/** The stored capture's document, built from its bytes (a row whose projection is not written yet). */
export function storedDoc(r: CandidateRow, body: Uint8Array, alias: string | null): Promise<SearchDoc> {
  return searchDocOf(storedParts(r, JSON.parse(r.headers) as HeaderPairs, r.query, body), {
    sig: sigOf(r.sig),
    endpointAlias: alias,
    provider: r.provider,
    event: r.event,
    delivery: r.delivery,
  });
}

function storedParts(r: CandidateRow, headers: HeaderPairs, query: string, body: Uint8Array) {
  return {
    endpointId: r.endpointId,
    method: r.method,
    path: r.path,
    query,
    headers,
    body,
    contentType: r.contentType,
    bodySize: r.bodySize,
    responseStatus: r.responseStatus,
    receivedAt: Number(r.receivedAt),
    remoteAddr: r.remoteAddr,
    rejected: r.rejected,
  };
}

/** The document a caller without reveal may search: every part masked as the detail view masks it. */
export async function maskedDoc(
  r: CandidateRow,
  body: Uint8Array,
  rules: readonly RedactionRule[],
  alias: string | null,
): Promise<SearchDoc> {
  const stored = JSON.parse(r.headers) as HeaderPairs;
  const m = await maskedCapture({ headers: stored, query: r.query, body, contentType: r.contentType }, rules);
  const doc = await searchDocOf(
    // The served body is the masked (and, when it was compressed, decoded) bytes: no Content-Encoding left to undo.
    storedParts(r, m.served.decode ? m.headers.filter(([n]) => n.toLowerCase() !== "content-encoding") : m.headers, m.query, m.body),
    { sig: sigOf(r.sig), endpointAlias: alias, provider: r.provider, event: null, delivery: null },
  );
  // Detected from the stored headers or body: kept only while the value is still visible in the masked ones.
  const visible = (v: string | null) =>
    v !== null && (m.headers.some(([, value]) => value.includes(v)) || doc.bodyText.includes(v)) ? v : null;
  doc.event = visible(r.event);
  doc.delivery = visible(r.delivery);
  // The stored size is what the list shows only when nothing was masked; the served size otherwise.
  return { ...doc, size: m.body.byteLength };
}
