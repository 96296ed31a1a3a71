// The search projection of a capture as the write path stores it (server side): the SearchDoc built by
// build-doc.ts with the server's zlib codecs (brotli included) and the signature detection of
// lib/signatures/detect.ts (the same call, over the stored headers and body, as the capture list makes),
// turned into CaptureSearch column values (lib/capture/write/rows.ts SEARCH_COLUMNS). Runs on the write
// worker (lib/search/write-worker-main.ts), in the bulk loader (bench/scale) and in the backfill.
import "../runtime/server-only";
import { zlibCodecs } from "../capture/decode";
import { CAPTURE_COLUMNS, type CaptureRowValues, type SearchRowValues } from "../capture/write/rows";
import type { Projector } from "../capture/write/search-backfill";
import type { HeaderPairs } from "../model/capture";
import { detectProvider } from "../signatures/detect";
import { searchDocOf, type StoredCaptureForSearch } from "./build-doc";
import { headTextOf, projectionColumnsOf } from "./projection-row";

const at = (name: (typeof CAPTURE_COLUMNS)[number]) => CAPTURE_COLUMNS.indexOf(name);
const [ENDPOINT, RECEIVED, METHOD, PATH, QUERY, HEADERS, BODY, SIZE, TYPE, ADDR, REJECTED, STATUS] = (
  [
    "endpointId",
    "receivedAt",
    "method",
    "path",
    "query",
    "headers",
    "body",
    "bodySize",
    "contentType",
    "remoteAddr",
    "rejected",
    "responseStatus",
  ] as const
).map(at) as number[];

/** A row as the write path carries it (CAPTURE_COLUMNS order; headers as their JSON) to build-doc's input. */
export function storedCaptureOfRow(row: CaptureRowValues): StoredCaptureForSearch {
  const body = row[BODY!] as Uint8Array;
  return {
    endpointId: row[ENDPOINT!] as string,
    method: row[METHOD!] as string,
    path: row[PATH!] as string,
    query: row[QUERY!] as string,
    headers: JSON.parse(row[HEADERS!] as string) as HeaderPairs,
    body,
    contentType: (row[TYPE!] as string | null) ?? null,
    bodySize: Number(row[SIZE!]),
    responseStatus: Number(row[STATUS!]),
    receivedAt: Number(row[RECEIVED!]),
    remoteAddr: row[ADDR!] as string,
    rejected: (row[REJECTED!] as string | null) ?? null,
  };
}

export async function searchRowOf(row: CaptureRowValues): Promise<SearchRowValues> {
  try {
    const capture = storedCaptureOfRow(row);
    const d = detectProvider(capture.headers, capture.body);
    const doc = await searchDocOf(capture, {
      sig: "unknown",
      provider: d.provider,
      event: d.eventType,
      delivery: d.deliveryId,
      codecs: zlibCodecs,
    });
    const c = projectionColumnsOf(doc);
    return [c.text, c.bodyStart, c.bodyType, c.provider, c.event, c.delivery, c.json as string | null, c.form];
  } catch {
    return fallbackSearchRow(row);
  }
}

/** Path, query and header lines only; for a capture whose analysis failed or whose full row was refused. */
export function fallbackSearchRow(row: CaptureRowValues): SearchRowValues {
  let headers: HeaderPairs = [];
  try {
    headers = JSON.parse(row[HEADERS!] as string) as HeaderPairs;
  } catch {
    // Stored by the write path itself: always JSON. Left empty if not.
  }
  const head = headTextOf({ path: row[PATH!] as string, query: row[QUERY!] as string, headers });
  const empty = (row[BODY!] as Uint8Array).byteLength === 0;
  return [head, head.length, empty ? "empty" : "binary", null, null, null, null, null];
}

export const searchProjector: Projector = {
  project: (rows) => Promise.all(rows.map(searchRowOf)),
  fallback: fallbackSearchRow,
};
