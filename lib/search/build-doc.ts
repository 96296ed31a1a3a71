// A stored capture as search sees it (SearchDoc, lib/search/doc.ts): the body decoded (Content-Encoding
// undone by the one bounded decoder, lib/body/decode.ts), cut to SEARCH_BODY_TEXT_MAX, its type found by
// content type and sniffing, JSON parsed and form fields listed within that bound. Pure and browser-safe
// (no node:*): the server lends its zlib codecs (brotli) through `extras.codecs`, and passes the signature
// detection (lib/signatures is not browser-safe) as provider/event/delivery. The search projection
// (CaptureSearch rows, lib/search/projection-row.ts) is built from this document.
import { type Codecs, contentEncodings, decodeContent, webCodecs } from "../body/decode";
import { parseForm } from "../body/form";
import { multipartBoundary, parseMultipart } from "../body/multipart";
import { controlByteRatio, decodeUtf8 } from "../body/text-decode";
import { type BodyType, SEARCH_BODY_TEXT_MAX, type SearchDoc, type SignatureState } from "./doc";

/** A capture as stored (the Capture row, headers parsed), the input of searchDocOf. */
export interface StoredCaptureForSearch {
  endpointId: string;
  method: string;
  path: string;
  query: string;
  headers: readonly (readonly [string, string])[];
  /** The stored bytes (still content-encoded). */
  body: Uint8Array;
  contentType: string | null;
  bodySize: number;
  responseStatus: number;
  receivedAt: number;
  remoteAddr: string;
  rejected: string | null;
}

export interface DocExtras {
  sig: SignatureState;
  endpointAlias?: string | null;
  /** Signature detection (lib/signatures/detect.ts), computed by the caller; null when none. */
  provider?: string | null;
  event?: string | null;
  delivery?: string | null;
  /** Decompressors (the server passes zlib's, which add brotli); the platform's by default. */
  codecs?: Codecs;
}

/**
 * Decoded bytes kept for search at most: enough for SEARCH_BODY_TEXT_MAX UTF-16 units (a unit takes at
 * most 3 bytes of UTF-8), and a bomb stops here. The ratio bound is the viewer's (DECODE_LIMITS).
 */
export const SEARCH_DECODE_LIMITS = { maxOutputBytes: 3 * SEARCH_BODY_TEXT_MAX + 4, maxRatio: 100, minBudget: 64 * 1024 };

/** The body after Content-Encoding: bytes (maybe a prefix), or null when it could not be decoded. */
export interface DecodedBody {
  bytes: Uint8Array;
  /** Only a prefix of the decoded body is here. */
  truncated: boolean;
  failed: boolean;
}

export async function decodeBodyForSearch(c: StoredCaptureForSearch, codecs: Codecs = webCodecs): Promise<DecodedBody> {
  const encodings = contentEncodings(c.headers);
  if (encodings.length === 0 || c.body.byteLength === 0) {
    // Only the prefix search keeps is looked at (UTF-8 checks, sniffing, multipart parsing), however large the body.
    const max = SEARCH_DECODE_LIMITS.maxOutputBytes;
    const truncated = c.body.byteLength > max;
    return { bytes: truncated ? c.body.subarray(0, max) : c.body, truncated, failed: false };
  }
  const r = await decodeContent(c.body, encodings, SEARCH_DECODE_LIMITS, codecs);
  if (r.status === "decoded") return { bytes: r.bytes, truncated: false, failed: false };
  if (r.status === "truncated") return { bytes: r.bytes, truncated: true, failed: false };
  return { bytes: new Uint8Array(0), truncated: false, failed: true };
}

export async function searchDocOf(c: StoredCaptureForSearch, extras: DocExtras): Promise<SearchDoc> {
  return searchDocOfDecoded(c, await decodeBodyForSearch(c, extras.codecs), extras);
}

/** Media type, lower-cased, without parameters ("" when none). */
function mediaTypeOf(contentType: string | null): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$|^text\/json$|\+json$/;
const XML_TYPE = /^(?:application|text)\/(?:[\w.+-]+\+)?xml$|\+xml$/;
const BINARY_TYPE = /^(?:image|audio|video|font)\/|^application\/(?:pdf|zip|gzip|x-protobuf|protobuf|msgpack|x-msgpack|wasm|vnd\.ms-)/;

/** Looks binary: many control bytes in the first 4 KiB, or (when `strict`) not valid UTF-8. */
function looksBinary(bytes: Uint8Array, validUtf8: boolean, strict: boolean): boolean {
  const ratio = controlByteRatio(bytes);
  return strict ? ratio > 0.05 || !validUtf8 : ratio > 0.3;
}

function sniffText(text: string): BodyType {
  const t = text.trimStart();
  if ((t.startsWith("{") || t.startsWith("[")) && parseJson(text) !== undefined) return "json";
  if (/^<(?:\?xml|[A-Za-z!])/.test(t)) return "xml";
  return "text";
}

function bodyTypeOf(mediaType: string, bytes: Uint8Array, text: string, validUtf8: boolean): BodyType {
  if (JSON_TYPE.test(mediaType)) return looksBinary(bytes, validUtf8, false) ? "binary" : "json";
  if (mediaType === "application/x-www-form-urlencoded") return "form";
  if (mediaType.startsWith("multipart/")) return "multipart";
  if (XML_TYPE.test(mediaType)) return looksBinary(bytes, validUtf8, false) ? "binary" : "xml";
  if (BINARY_TYPE.test(mediaType)) return "binary";
  if (mediaType.startsWith("text/")) return looksBinary(bytes, validUtf8, false) ? "binary" : "text";
  // No type, application/octet-stream or one not listed here: sniffed.
  return looksBinary(bytes, validUtf8, true) ? "binary" : sniffText(text);
}

/** Nesting SQLite's JSON functions accept (JSON_MAX_DEPTH); a deeper body is not stored as JSON. */
const JSON_MAX_DEPTH = 1000;

/** Nests more than `max` arrays and objects? Only called when the text has more brackets than that. */
function deeperThan(value: unknown, max: number): boolean {
  if (value === null || typeof value !== "object") return false;
  if (max === 0) return true;
  for (const v of Array.isArray(value) ? value : Object.values(value)) if (deeperThan(v, max - 1)) return true;
  return false;
}

/** More than `n` of "[" and "{" in the text (an upper bound of the nesting: brackets inside strings count too). */
function manyBrackets(text: string, n: number): boolean {
  if (text.length <= n) return false;
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c === 0x5b || c === 0x7b) && ++count > n) return true;
  }
  return false;
}

/**
 * JSON.parse, or undefined. Also undefined when the value holds U+0000 or a lone surrogate: PostgreSQL's
 * jsonb refuses both, so such a body is searchable as text but not by `json.` fields, on both databases; and
 * when it nests deeper than JSON_MAX_DEPTH (SQLite's JSON functions refuse it), likewise.
 */
function parseJson(text: string): unknown {
  let value: unknown;
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    value = JSON.parse(source);
  } catch {
    return undefined;
  }
  // Decoded text never holds a lone surrogate (invalid UTF-8 becomes U+FFFD), and a raw U+0000 is not valid
  // JSON: only a \u escape can put either in the value, so without one there is nothing to look for.
  if (source.includes("\\u") && /\\u0000|\\ud[89a-f][0-9a-f]{2}/i.test(JSON.stringify(value))) return undefined;
  if (manyBrackets(source, JSON_MAX_DEPTH) && deeperThan(value, JSON_MAX_DEPTH)) return undefined;
  return value;
}

/** At most `max` UTF-16 units, never ending inside a surrogate pair; U+0000 (refused by PostgreSQL text) → U+FFFD. */
export function boundText(text: string, max = SEARCH_BODY_TEXT_MAX): { text: string; cut: boolean } {
  let out = text;
  let cut = false;
  if (out.length > max) {
    let end = max;
    const last = out.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff) end--;
    out = out.slice(0, end);
    cut = true;
  }
  return { text: out.includes("\0") ? out.replaceAll("\0", "\uFFFD") : out, cut };
}

type Pairs = [string, string][];

/** Multipart: the part headers, the text parts' contents (binary file contents left out) and the form fields. */
function multipartOf(bytes: Uint8Array, contentType: string | null): { text: string; form: Pairs } {
  const boundary = multipartBoundary(contentType);
  if (boundary === null) return { text: "", form: [] };
  let text = "";
  const form: Pairs = [];
  for (const part of parseMultipart(bytes, boundary).parts) {
    for (const [name, value] of part.headers) text += `${name}: ${value}\n`;
    const decoded = decodeUtf8(part.body, 3 * SEARCH_BODY_TEXT_MAX);
    const binary = looksBinary(part.body, decoded.validUtf8, true);
    if (!binary) text += `${decoded.text}\n`;
    if (part.name !== null) {
      if (part.isFile) form.push([part.name, part.filename ?? ""]);
      else form.push([part.name, binary ? "" : boundText(decoded.text).text]);
    }
    if (text.length > SEARCH_BODY_TEXT_MAX) break;
  }
  return { text, form };
}

export function searchDocOfDecoded(c: StoredCaptureForSearch, decoded: DecodedBody, extras: DocExtras): SearchDoc {
  const base = {
    method: c.method.toUpperCase(),
    path: c.path,
    query: c.query,
    headers: c.headers,
    status: c.responseStatus,
    size: c.bodySize,
    receivedAt: c.receivedAt,
    ip: c.remoteAddr,
    rejected: c.rejected,
    sig: extras.sig,
    provider: extras.provider ?? null,
    event: extras.event ?? null,
    delivery: extras.delivery ?? null,
    endpointId: c.endpointId,
    ...(extras.endpointAlias !== undefined ? { endpointAlias: extras.endpointAlias } : {}),
  };
  if (c.body.byteLength === 0) return { ...base, bodyText: "", bodyType: "empty" };
  if (decoded.failed) return { ...base, bodyText: "", bodyType: "binary" };
  const bytes = decoded.bytes;
  const utf8 = decodeUtf8(bytes, SEARCH_DECODE_LIMITS.maxOutputBytes);
  const bodyType = bodyTypeOf(mediaTypeOf(c.contentType), bytes, utf8.text, utf8.validUtf8);
  if (bodyType === "binary") return { ...base, bodyText: "", bodyType };
  if (bodyType === "multipart") {
    const m = multipartOf(bytes, c.contentType);
    return { ...base, bodyText: boundText(m.text).text, bodyType, form: m.form };
  }
  const bounded = boundText(utf8.text);
  const whole = !bounded.cut && !decoded.truncated && !utf8.truncated;
  if (bodyType === "json") {
    const json = whole ? parseJson(utf8.text) : undefined;
    return { ...base, bodyText: bounded.text, bodyType, ...(json !== undefined ? { json } : {}) };
  }
  if (bodyType === "form") {
    const form = parseForm(bounded.text).fields.map((f): [string, string] => [f.name, boundText(f.value).text]);
    return { ...base, bodyText: bounded.text, bodyType, form };
  }
  return { ...base, bodyText: bounded.text, bodyType };
}
