// Differences between two attempts' responses, or between an edited request and the original.
// JSON bodies are compared as values (jsondiffpatch: key order ignored, array items matched by
// their `id` when they have one, by position otherwise) and flattened to a list of changes with
// JSONPath-style paths; other text gets a bounded line diff; anything not UTF-8 is compared by
// size and SHA-256 only. Every walk here is iterative and capped, so hostile bodies cannot
// exhaust the stack or the CPU.
import { createHash } from "node:crypto";
import type { HeaderPairs } from "../model/capture";
import { type BodyDiff, type BodySide, DIFF_LIMITS, type HeaderChange } from "./diff-types";
import { depthWithin, diffJson } from "./json-diff";
import { diffText } from "./text-diff";

// ---------------------------------------------------------------------------------------------
// Bodies

const utf8 = new TextDecoder("utf-8", { fatal: true });

function asText(bytes: Uint8Array): string | null {
  try {
    const text = utf8.decode(bytes);
    return text.includes("\u0000") ? null : text;
  } catch {
    return null;
  }
}

function asJson(text: string): { ok: true; value: unknown } | { ok: false } {
  const first = text.trimStart()[0];
  if (first !== "{" && first !== "[") return { ok: false };
  try {
    const value: unknown = JSON.parse(text);
    return depthWithin(value, DIFF_LIMITS.maxJsonDepth) ? { ok: true, value } : { ok: false };
  } catch {
    return { ok: false };
  }
}

const side = (bytes: Uint8Array): BodySide => ({ size: bytes.byteLength, sha256: createHash("sha256").update(bytes).digest("hex") });

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return (
    a.byteLength === b.byteLength &&
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength))
  );
}

/** JSON when both sides are JSON objects or arrays, text when both are UTF-8, binary otherwise. */
export function diffBodies(before: Uint8Array, after: Uint8Array): BodyDiff {
  const ta = asText(before);
  const tb = asText(after);
  if (ta === null || tb === null) return { mode: "binary", equal: sameBytes(before, after), before: side(before), after: side(after) };
  const ja = asJson(ta);
  const jb = ja.ok ? asJson(tb) : ja;
  if (ja.ok && jb.ok) {
    const { changes, truncated } = diffJson(ja.value, jb.value);
    return { mode: "json", equal: changes.length === 0, changes, truncated };
  }
  const { lines, truncated } = diffText(ta, tb);
  return { mode: "text", equal: ta === tb, lines, truncated };
}

// ---------------------------------------------------------------------------------------------
// Headers, requests, responses

/**
 * Per header name (case-insensitive): added, removed, or changed values (the list of values in
 * order). Names in `ignore` (lower case, e.g. "date") are left out.
 */
export function diffHeaders(before: HeaderPairs, after: HeaderPairs, ignore: readonly string[] = []): HeaderChange[] {
  const skip = new Set(ignore.map((n) => n.toLowerCase()));
  const group = (pairs: HeaderPairs) => {
    const m = new Map<string, { name: string; values: string[] }>();
    for (const [name, value] of pairs) {
      const key = name.toLowerCase();
      if (skip.has(key)) continue;
      const hit = m.get(key);
      if (hit) hit.values.push(value);
      else m.set(key, { name, values: [value] });
    }
    return m;
  };
  const a = group(before);
  const b = group(after);
  const out: HeaderChange[] = [];
  for (const [key, left] of a) {
    const right = b.get(key);
    if (!right) out.push({ name: left.name, kind: "removed", before: left.values });
    else if (left.values.length !== right.values.length || left.values.some((v, i) => v !== right.values[i])) {
      out.push({ name: right.name, kind: "changed", before: left.values, after: right.values });
    }
  }
  for (const [key, right] of b) if (!a.has(key)) out.push({ name: right.name, kind: "added", after: right.values });
  return out;
}

export interface Change<T> {
  before: T;
  after: T;
}

export interface RequestLike {
  method: string;
  url: string;
  headers: HeaderPairs;
  body: Uint8Array;
}

export interface RequestDiff {
  method: Change<string> | null;
  url: Change<string> | null;
  headers: HeaderChange[];
  body: BodyDiff;
}

/** An edited request against the original (or any two requests). */
export function diffRequests(before: RequestLike, after: RequestLike, ignoreHeaders: readonly string[] = []): RequestDiff {
  return {
    method: before.method === after.method ? null : { before: before.method, after: after.method },
    url: before.url === after.url ? null : { before: before.url, after: after.url },
    headers: diffHeaders(before.headers, after.headers, ignoreHeaders),
    body: diffBodies(before.body, after.body),
  };
}

export interface ResponseLike {
  status: number;
  headers: HeaderPairs;
  body: Uint8Array;
}

export interface ResponseDiff {
  status: Change<number> | null;
  headers: HeaderChange[];
  body: BodyDiff;
}

/** Headers that differ on every response and say nothing about the handler. */
export const VOLATILE_RESPONSE_HEADERS = ["date", "age", "x-request-id", "x-runtime", "server-timing", "cf-ray", "x-amz-cf-id"];

/** Two attempts' responses; `ignoreHeaders` defaults to VOLATILE_RESPONSE_HEADERS. */
export function diffResponses(
  before: ResponseLike,
  after: ResponseLike,
  ignoreHeaders: readonly string[] = VOLATILE_RESPONSE_HEADERS,
): ResponseDiff {
  return {
    status: before.status === after.status ? null : { before: before.status, after: after.status },
    headers: diffHeaders(before.headers, after.headers, ignoreHeaders),
    body: diffBodies(before.body, after.body),
  };
}
