// The maskers. Pure functions over a capture's parts; the originals are never modified and the
// returned values share nothing mutable with them. Outside the masked values every byte is kept,
// so a masked JSON body still diffs cleanly against the original and pretty-printing still works.
import type { HeaderPairs } from "@/lib/model/capture";
import { multipartBoundary, parseMultipart } from "@/lib/body/multipart";
import { compileRules, firstMatch, type CompiledRules } from "./compile";
import { findJsonSpans } from "./json-spans";
import { maskPairs, type PairMask } from "./pairs";
import type { RedactionRule } from "./rules";
import { RedactionBudgetExceeded, withBudget, type RedactionBudget } from "./budget";
import { HEADER_MASK, JSON_MASK, VALUE_MASK } from "./marks";
import { encoder, maskRegexInBytes, maskRegexMatches, spliceBytes, type ByteEdit } from "./text";

export { HEADER_MASK, JSON_MASK, VALUE_MASK };

export interface RedactOptions {
  /**
   * Mask for header values. The default `••••••` is not a valid HTTP header byte sequence, so
   * redact-at-ingest (whose stored headers may later be replayed) should pass an ASCII mask such as
   * VALUE_MASK.
   */
  headerMask?: string;
  /** The regex budget to charge (budget.ts); by default the one active, or a fresh one. */
  budget?: RedactionBudget;
}

export interface HeaderMaskEntry {
  /** Position in the header pairs (duplicates each have their own). */
  index: number;
  name: string;
  /** The rule's index; -1 for "body" (no rule: see lib/capture/view.ts maskBodyFactHeaders). */
  rule: number;
  /** "body": the header describes body bytes (length, digest) the view shows masked. */
  by: "name" | "regex" | "body";
}

export type QueryMaskEntry = PairMask;

export type BodyMaskEntry =
  | { kind: "json_path"; rule: number; path: string }
  /** `index`: the pair's position in a urlencoded body, or the part's position in a multipart one. */
  | { kind: "form_field"; rule: number; field: string; index: number }
  | { kind: "regex"; rule: number; count: number; field?: string; index?: number };

// Auth schemes whose name is kept in front of the mask (`Bearer ••••••`). Only these: the first
// word of an unknown scheme may be the secret itself (`Authorization: sk_live_… `).
const AUTH_SCHEMES = new Set([
  "basic",
  "bearer",
  "digest",
  "token",
  "hmac",
  "negotiate",
  "ntlm",
  "oauth",
  "apikey",
  "api-key",
  "dpop",
  "hawk",
  "signature",
  "aws4-hmac-sha256",
  "sharedaccesssignature",
  "sharedkey",
  "splunk",
  "ssws",
  "key",
  "jwt",
]);

const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,64}$/;

/** The masked form of one header value: keeps an auth scheme, or cookie names, as a hint. */
function maskHeaderValue(name: string, value: string, mask: string): string {
  const lower = name.toLowerCase();
  if (lower === "authorization" || lower === "proxy-authorization") {
    const m = /^\s*([A-Za-z0-9-]+)\s+\S/.exec(value);
    if (m && m[1] !== undefined && AUTH_SCHEMES.has(m[1].toLowerCase())) return `${m[1]} ${mask}`;
    return mask;
  }
  if (lower === "cookie") {
    const names = value
      .split(";")
      .map((c) => c.trim())
      .filter((c) => c.length > 0)
      .map((c) => c.slice(0, Math.max(0, c.indexOf("="))));
    if (names.length > 0 && names.every((n) => COOKIE_NAME.test(n))) return names.map((n) => `${n}=${mask}`).join("; ");
    return mask;
  }
  if (lower === "set-cookie") {
    const semi = value.indexOf(";");
    const first = semi < 0 ? value : value.slice(0, semi);
    const eq = first.indexOf("=");
    const cookieName = eq < 0 ? "" : first.slice(0, eq).trim();
    if (COOKIE_NAME.test(cookieName)) return `${cookieName}=${mask}${semi < 0 ? "" : value.slice(semi)}`;
    return mask;
  }
  return mask;
}

/** The compiled rules, or a RedactionBudgetExceeded when they must fail closed (see CompiledRules.failClosed). */
function usable(c: CompiledRules): CompiledRules {
  if (c.failClosed !== null) throw new RedactionBudgetExceeded(c.failClosed);
  return c;
}

export function redactHeaders(
  pairs: HeaderPairs,
  rules: readonly RedactionRule[],
  options: RedactOptions = {},
): { pairs: HeaderPairs; masked: HeaderMaskEntry[] } {
  const mask = options.headerMask ?? HEADER_MASK;
  try {
    return withBudget(options.budget, () => redactHeadersWithin(pairs, usable(compileRules(rules)), mask));
  } catch (err) {
    if (!(err instanceof RedactionBudgetExceeded)) throw err;
    return headersWithheld(pairs, mask);
  }
}

/** Header masking failing closed: every value is masked (rule -1: no one rule caused it). */
export function headersWithheld(pairs: HeaderPairs, mask: string = HEADER_MASK): { pairs: HeaderPairs; masked: HeaderMaskEntry[] } {
  const masked: HeaderMaskEntry[] = [];
  const out: HeaderPairs = pairs.map(([name, value], index) => {
    if (value.length === 0) return [name, value];
    masked.push({ index, name, rule: -1, by: "regex" });
    return [name, mask];
  });
  return { pairs: out, masked };
}

/** Query masking failing closed: the whole query is masked. */
export function queryWithheld(rawQuery: string): { query: string; masked: QueryMaskEntry[] } {
  const lead = rawQuery.startsWith("?") ? "?" : "";
  if (rawQuery.length <= lead.length) return { query: rawQuery, masked: [] };
  return { query: lead + VALUE_MASK, masked: [{ index: 0, name: "", rule: -1, by: "regex" }] };
}

function redactHeadersWithin(pairs: HeaderPairs, compiled: CompiledRules, mask: string): { pairs: HeaderPairs; masked: HeaderMaskEntry[] } {
  const masked: HeaderMaskEntry[] = [];
  const out: HeaderPairs = pairs.map(([name, value], index) => {
    if (value.length === 0) return [name, value];
    const rule = firstMatch(compiled.headers, name);
    if (rule >= 0) {
      masked.push({ index, name, rule, by: "name" });
      return [name, maskHeaderValue(name, value, mask)];
    }
    if (compiled.regexes.length > 0) {
      const r = maskRegexMatches(value, compiled.regexes, mask);
      const first = r.hits[0];
      if (first) {
        masked.push({ index, name, rule: first.rule, by: "regex" });
        return [name, r.text];
      }
    }
    return [name, value];
  });
  return { pairs: out, masked };
}

/** Masks a raw query string (with or without its leading `?`), keeping untouched parts as sent. */
export function redactQuery(
  rawQuery: string,
  rules: readonly RedactionRule[],
  budget?: RedactionBudget,
): { query: string; masked: QueryMaskEntry[] } {
  const lead = rawQuery.startsWith("?") ? "?" : "";
  try {
    const compiled = usable(compileRules(rules));
    const { text, masked } = withBudget(budget, () =>
      maskPairs(rawQuery.slice(lead.length), compiled.queryParams, compiled.regexes, VALUE_MASK, false),
    );
    return { query: lead + text, masked };
  } catch (err) {
    if (!(err instanceof RedactionBudgetExceeded)) throw err;
    return queryWithheld(rawQuery);
  }
}

function mediaTypeOf(contentType: string | null | undefined): string {
  return (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

// Bytes <-> a string with one char per byte, so the urlencoded scanner can work on any body and
// hand back exactly the bytes it did not touch.
function bytesToBinaryString(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return s;
}

function binaryStringToBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function redactFormBody(bytes: Uint8Array, c: CompiledRules): { bytes: Uint8Array; masked: BodyMaskEntry[] } {
  if (c.formFields.length === 0 && c.regexes.length === 0) return { bytes, masked: [] };
  const { text, masked } = maskPairs(bytesToBinaryString(bytes), c.formFields, c.regexes, VALUE_MASK, true);
  if (masked.length === 0) return { bytes, masked: [] };
  return {
    bytes: binaryStringToBytes(text),
    masked: masked.map(
      (m): BodyMaskEntry =>
        m.by === "name"
          ? { kind: "form_field", rule: m.rule, field: m.name, index: m.index }
          : { kind: "regex", rule: m.rule, count: 1, field: m.name, index: m.index },
    ),
  };
}

function redactMultipartBody(bytes: Uint8Array, boundary: string, c: CompiledRules): { bytes: Uint8Array; masked: BodyMaskEntry[] } {
  if (c.formFields.length === 0 && c.regexes.length === 0) return { bytes, masked: [] };
  const edits: ByteEdit[] = [];
  const masked: BodyMaskEntry[] = [];
  const valueMask = encoder.encode(VALUE_MASK);
  // The lenses' own parser (lib/body/multipart.ts), so what is masked is exactly the part the lens shows.
  parseMultipart(bytes, boundary).parts.forEach((part, index) => {
    if (part.end <= part.start) return;
    const rule = part.isFile || part.name === null ? -1 : firstMatch(c.formFields, part.name);
    if (rule >= 0) {
      edits.push({ start: part.start, end: part.end, replacement: valueMask });
      masked.push({ kind: "form_field", rule, field: part.name ?? "", index });
      return;
    }
    // Any part, file or not, whose content is text gets the regexes; binary parts stay as they are.
    const r = maskRegexInBytes(bytes.subarray(part.start, part.end), c.regexes, VALUE_MASK);
    if (!r) return;
    edits.push({ start: part.start, end: part.end, replacement: r.bytes });
    for (const h of r.hits)
      masked.push({ kind: "regex", rule: h.rule, count: h.count, ...(part.name === null ? {} : { field: part.name }), index });
  });
  return { bytes: spliceBytes(bytes, edits), masked };
}

function looksLikeJson(bytes: Uint8Array): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  return bytes[i] === 0x7b || bytes[i] === 0x5b;
}

function redactTextBody(bytes: Uint8Array, media: string, c: CompiledRules): { bytes: Uint8Array; masked: BodyMaskEntry[] } {
  let current = bytes;
  const masked: BodyMaskEntry[] = [];
  // JSON paths apply to any body that parses as JSON, whatever its label: senders mislabel JSON as
  // text/plain, and masking by content is the safe direction. Invalid JSON gets no path masking.
  const jsonish = media === "" || media.endsWith("/json") || media.endsWith("+json") || looksLikeJson(bytes);
  if (c.jsonPaths && jsonish) {
    const spans = findJsonSpans(bytes, c.jsonPaths);
    if (spans && spans.length > 0) {
      const replacement = encoder.encode(JSON_MASK);
      current = spliceBytes(
        bytes,
        spans.map((s) => ({ start: s.start, end: s.end, replacement })),
      );
      for (const s of spans) masked.push({ kind: "json_path", rule: s.rule, path: s.location });
    }
  }
  const r = maskRegexInBytes(current, c.regexes, VALUE_MASK);
  if (r) {
    current = r.bytes;
    for (const h of r.hits) masked.push({ kind: "regex", rule: h.rule, count: h.count });
  }
  return { bytes: current, masked };
}

export interface RedactedBody {
  bytes: Uint8Array;
  masked: BodyMaskEntry[];
  changed: boolean;
  /**
   * The regex budget ran out (budget.ts), or the worker's deadline passed (regex-pool.ts): the body
   * is withheld (`bytes` is empty, `changed` true), never shown unmasked.
   */
  budgetExceeded: boolean;
}

/** A body withheld because masking it would cost more than its budget. */
export const BUDGET_WITHHELD: RedactedBody = Object.freeze({
  bytes: new Uint8Array(0),
  masked: [],
  changed: true,
  budgetExceeded: true,
}) as RedactedBody;

/**
 * Masks a body by its content type. Byte-preserving: only masked values change. Returns the input
 * array itself when nothing was masked. The body must be the bytes as they will be shown: a
 * compressed body is binary here, so callers decode Content-Encoding first. Synchronous, on the
 * calling thread: large bodies with regex rules belong in redactBodyOffThread (regex-pool.ts).
 */
export function redactBody(
  bytes: Uint8Array,
  contentType: string | null | undefined,
  rules: readonly RedactionRule[],
  budget?: RedactionBudget,
): RedactedBody {
  if (bytes.length === 0) return { bytes, masked: [], changed: false, budgetExceeded: false };
  try {
    const c = usable(compileRules(rules));
    return withBudget(budget, () => redactBodyWithin(bytes, contentType, c));
  } catch (err) {
    if (err instanceof RedactionBudgetExceeded) return { ...BUDGET_WITHHELD, bytes: new Uint8Array(0) };
    throw err;
  }
}

function redactBodyWithin(bytes: Uint8Array, contentType: string | null | undefined, c: CompiledRules): RedactedBody {
  const media = mediaTypeOf(contentType);
  let r: { bytes: Uint8Array; masked: BodyMaskEntry[] };
  if (media === "application/x-www-form-urlencoded") {
    r = redactFormBody(bytes, c);
  } else if (media.startsWith("multipart/")) {
    const boundary = multipartBoundary(contentType);
    r = boundary ? redactMultipartBody(bytes, boundary, c) : redactTextBody(bytes, media, c);
  } else {
    r = redactTextBody(bytes, media, c);
  }
  return { bytes: r.bytes, masked: r.masked, changed: r.masked.length > 0, budgetExceeded: false };
}
