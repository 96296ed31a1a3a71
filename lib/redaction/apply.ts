// One call for everything a capture shows: headers, query and body, with the list of what was
// masked for the UI's "masked" badges and the reveal audit. Pure, over the bytes as given: views,
// share links and downloads go through lib/capture/view.ts maskedCapture instead, which also
// decodes a compressed body before masking it. Revealing means serving the unredacted capture;
// that decision and its audit entry belong to the caller.
import type { HeaderPairs } from "@/lib/model/capture";
import {
  redactBody,
  redactHeaders,
  redactQuery,
  type BodyMaskEntry,
  type HeaderMaskEntry,
  type QueryMaskEntry,
  type RedactOptions,
} from "./mask";
import type { RedactionRule } from "./rules";

export interface RedactableCapture {
  headers: HeaderPairs;
  /** The raw query string, with or without its leading `?`. */
  query: string;
  body: Uint8Array;
  /** Defaults to the capture's Content-Type header when null or omitted. */
  contentType?: string | null;
}

export interface RedactedCapture {
  headers: HeaderPairs;
  query: string;
  body: Uint8Array;
  masked: { headers: HeaderMaskEntry[]; query: QueryMaskEntry[]; body: BodyMaskEntry[] };
  /** Anything at all was masked. */
  changed: boolean;
}

export function redactCapture(capture: RedactableCapture, rules: readonly RedactionRule[], options: RedactOptions = {}): RedactedCapture {
  const contentType = capture.contentType ?? capture.headers.find(([n]) => n.toLowerCase() === "content-type")?.[1] ?? null;
  const headers = redactHeaders(capture.headers, rules, options);
  const query = redactQuery(capture.query, rules);
  const body = redactBody(capture.body, contentType, rules);
  return {
    headers: headers.pairs,
    query: query.query,
    body: body.bytes,
    masked: { headers: headers.masked, query: query.masked, body: body.masked },
    changed: headers.masked.length > 0 || query.masked.length > 0 || body.changed,
  };
}
