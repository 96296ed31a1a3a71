// The search projection's columns (the CaptureSearch table; contract in prisma/schema.prisma and
// docs/architecture.md "Search projection") from a SearchDoc, and the SearchDoc back from those columns
// plus the summary row, without reading the body: the SQL search's confirm step rebuilds each candidate
// this way and runs the in-memory evaluator on it. Pure and browser-safe.
import type { CaptureSummary } from "../model/capture";
import { decodeFormComponent } from "../body/form";
import type { BodyType, SearchDoc } from "./doc";
import { decodePath } from "./hql/search-text";

/** One CaptureSearch row (seq and endpointId aside), as written and as read back. */
export interface ProjectionColumns {
  /** path "\n" query "\n" each header "name: value\n", then bodyText. */
  text: string;
  /** Where bodyText starts in text (text.slice(bodyStart) === bodyText; in SQL substr(text, bodyStart + 1)). */
  bodyStart: number;
  bodyType: BodyType;
  provider: string | null;
  event: string | null;
  delivery: string | null;
  /**
   * The JSON body re-encoded, null when not JSON. Read back as JSON text: SQLite's column as stored (a bare
   * numeric body may come back as a number: the column's declared type JSONB has numeric affinity),
   * PostgreSQL's as `"json"::text` (jsonb's own spelling: key order and spacing differ, values do not).
   */
  json: string | number | null;
  /** JSON array of [name, value] pairs, null when not a form or multipart body. */
  form: string | null;
}

/** The text before the body: path, query and header lines (Latin-1 only, as Node reads them, so JS offsets equal SQL character offsets). */
export function headTextOf(doc: Pick<SearchDoc, "path" | "query" | "headers">): string {
  let head = `${doc.path}\n${doc.query}\n`;
  // Bare text also matches the percent-decoded path and query (lib/search/hql/search-text.ts): they are held
  // here too, one line each when they differ, so the SQL text condition stays a superset without reading Capture.
  for (const [raw, decoded] of [
    [doc.path, decodePath(doc.path)],
    [doc.query, doc.query === "" ? "" : decodeFormComponent(doc.query).text],
  ] as const) {
    if (decoded !== raw) head += `${decoded.replaceAll("\n", " ")}\n`;
  }
  for (const [name, value] of doc.headers) head += `${name}: ${value}\n`;
  return head.includes("\0") ? head.replaceAll("\0", "\uFFFD") : head;
}

export function projectionColumnsOf(doc: SearchDoc): ProjectionColumns {
  const head = headTextOf(doc);
  return {
    text: head + doc.bodyText,
    bodyStart: head.length,
    bodyType: doc.bodyType,
    provider: doc.provider,
    event: doc.event,
    delivery: doc.delivery,
    json: doc.json === undefined ? null : JSON.stringify(doc.json),
    form: doc.form === undefined ? null : JSON.stringify(doc.form),
  };
}

/** What docFromProjection reads from the Capture row: the summary (signature status, when known) and the endpoint's alias. */
export type SummaryForSearch = Pick<
  CaptureSummary,
  "endpointId" | "method" | "path" | "query" | "bodySize" | "remoteAddr" | "receivedAt" | "rejected" | "response" | "signature"
> & { endpointAlias?: string | null };

/** The SearchDoc from stored columns (equal to searchDocOf of the same capture, given the same signature status). */
export function docFromProjection(
  summary: SummaryForSearch,
  row: ProjectionColumns,
  headers: readonly (readonly [string, string])[],
): SearchDoc {
  const doc: SearchDoc = {
    method: summary.method.toUpperCase(),
    path: summary.path,
    query: summary.query,
    headers,
    bodyText: row.text.slice(row.bodyStart),
    bodyType: row.bodyType,
    status: summary.response.status,
    size: summary.bodySize,
    receivedAt: summary.receivedAt,
    ip: summary.remoteAddr,
    rejected: summary.rejected,
    sig: summary.signature?.status ?? "unknown",
    provider: row.provider,
    event: row.event,
    delivery: row.delivery,
    endpointId: summary.endpointId,
    ...(summary.endpointAlias !== undefined ? { endpointAlias: summary.endpointAlias } : {}),
  };
  if (row.json !== null) doc.json = JSON.parse(String(row.json));
  if (row.form !== null) doc.form = JSON.parse(row.form) as [string, string][];
  return doc;
}
