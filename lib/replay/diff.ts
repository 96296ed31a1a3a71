// Differences between two attempts' responses, or between an edited request and the original.
// JSON bodies are compared as values (jsondiffpatch: key order ignored, array items matched by
// their `id` when they have one, by position otherwise) and flattened to a list of changes with
// JSONPath-style paths; other text gets a bounded line diff; anything not UTF-8 is compared by
// size and SHA-256 only. Every walk here is iterative and capped, so hostile bodies cannot
// exhaust the stack or the CPU.
import { createHash } from "node:crypto";
import { create, type Delta } from "jsondiffpatch";
import type { HeaderPairs } from "../model/capture";

export const DIFF_LIMITS = {
  /** Deeper JSON is diffed as text. */
  maxJsonDepth: 256,
  /** Changes (or text lines) listed before `truncated` is set. */
  maxChanges: 1000,
  /** Line pairs the text diff may compare (after the common head and tail are set aside). */
  maxLineCells: 4_000_000,
  /** Unchanged lines shown around each change. */
  context: 3,
};

export type PathSegment = string | number;

export interface JsonChange {
  /** JSONPath-style: `$`, `$.data.amount`, `$.items[2]`, `$["odd key"]`. */
  path: string;
  segments: PathSegment[];
  /** "moved": an array item found at another index (before/after are the indexes). */
  kind: "added" | "removed" | "changed" | "moved";
  before?: unknown;
  after?: unknown;
}

export type TextLine =
  | { kind: "same" | "added" | "removed"; text: string; before?: number; after?: number }
  | { kind: "skipped"; count: number };

export interface BodySide {
  size: number;
  sha256: string;
}

export type BodyDiff =
  | { mode: "json"; equal: boolean; changes: JsonChange[]; truncated: boolean }
  | { mode: "text"; equal: boolean; lines: TextLine[]; truncated: boolean }
  | { mode: "binary"; equal: boolean; before: BodySide; after: BodySide };

export interface HeaderChange {
  /** As spelled on the newer side (the older one when removed). */
  name: string;
  kind: "added" | "removed" | "changed";
  /** Every value of that name, in order. */
  before?: string[];
  after?: string[];
}

// ---------------------------------------------------------------------------------------------
// JSON

const patcher = create({
  arrays: { detectMove: true, includeValueOnMove: false },
  objectHash: (item: object, index?: number) => {
    const id = (item as { id?: unknown; _id?: unknown }).id ?? (item as { _id?: unknown })._id;
    return typeof id === "string" || typeof id === "number" ? `id:${typeof id}:${id}` : `$$index:${index}`;
  },
  cloneDiffValues: false,
});

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function formatPath(segments: PathSegment[]): string {
  let out = "$";
  for (const s of segments) out += typeof s === "number" ? `[${s}]` : IDENT.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`;
  return out;
}

function depthWithin(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== "object") continue;
    if (d >= max) return false;
    for (const child of Object.values(v as object)) if (child !== null && typeof child === "object") stack.push([child, d + 1]);
  }
  return true;
}

const isArrayDelta = (d: object): boolean => (d as { _t?: unknown })._t === "a";

/** The value-level differences between two JSON values, key order ignored. */
export function diffJson(before: unknown, after: unknown, limit = DIFF_LIMITS.maxChanges): { changes: JsonChange[]; truncated: boolean } {
  const delta = patcher.diff(before, after);
  const changes: JsonChange[] = [];
  let truncated = false;
  const push = (segments: PathSegment[], change: Omit<JsonChange, "path" | "segments">) => {
    if (changes.length >= limit) {
      truncated = true;
      return;
    }
    changes.push({ path: formatPath(segments), segments, ...change });
  };
  const stack: [Delta, PathSegment[]][] = delta === undefined ? [] : [[delta, []]];
  while (stack.length) {
    const [d, at] = stack.pop() as [Delta, PathSegment[]];
    if (d === undefined) continue;
    if (Array.isArray(d)) {
      if (d.length === 1) push(at, { kind: "added", after: d[0] });
      else if (d.length === 2) push(at, { kind: "changed", before: d[0], after: d[1] });
      else if (d[2] === 0) push(at, { kind: "removed", before: d[0] });
      // [text, 0, 2] text deltas are off (no textDiff option); moves are handled by the parent.
      continue;
    }
    if (isArrayDelta(d)) {
      for (const [key, child] of Object.entries(d) as [string, Delta][]) {
        if (key === "_t") continue;
        if (key.startsWith("_")) {
          const from = Number(key.slice(1));
          const c = child as unknown[];
          if (c[2] === 3) push([...at, from], { kind: "moved", before: from, after: c[1] });
          else push([...at, from], { kind: "removed", before: c[0] });
        } else {
          stack.push([child, [...at, Number(key)]]);
        }
      }
      continue;
    }
    for (const [key, child] of Object.entries(d)) stack.push([child as Delta, [...at, key]]);
  }
  changes.sort((a, b) => comparePaths(a.segments, b.segments));
  return { changes, truncated };
}

function comparePaths(a: PathSegment[], b: PathSegment[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as PathSegment;
    const y = b[i] as PathSegment;
    if (x === y) continue;
    if (typeof x === "number" && typeof y === "number") return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return a.length - b.length;
}

// ---------------------------------------------------------------------------------------------
// Text

/** A line diff, unchanged runs beyond `context` lines collapsed into "skipped". */
export function diffText(before: string, after: string, limit = DIFF_LIMITS.maxChanges): { lines: TextLine[]; truncated: boolean } {
  const a = before.split("\n");
  const b = after.split("\n");
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);

  type Op = { kind: "same" | "added" | "removed"; text: string; before?: number; after?: number };
  const ops: Op[] = [];
  for (let i = 0; i < head; i++) ops.push({ kind: "same", text: a[i] as string, before: i + 1, after: i + 1 });
  for (const op of middleOps(midA, midB)) {
    const bi = op.i === undefined ? undefined : head + op.i + 1;
    const ai = op.j === undefined ? undefined : head + op.j + 1;
    ops.push({ kind: op.kind, text: op.text, ...(bi === undefined ? {} : { before: bi }), ...(ai === undefined ? {} : { after: ai }) });
  }
  for (let k = tail; k > 0; k--) ops.push({ kind: "same", text: a[a.length - k] as string, before: a.length - k + 1, after: b.length - k + 1 });

  // Keep changes and `context` lines around them.
  const keep = new Uint8Array(ops.length);
  ops.forEach((op, i) => {
    if (op.kind === "same") return;
    for (let k = Math.max(0, i - DIFF_LIMITS.context); k <= Math.min(ops.length - 1, i + DIFF_LIMITS.context); k++) keep[k] = 1;
  });
  const lines: TextLine[] = [];
  let truncated = false;
  let skipped = 0;
  for (let i = 0; i < ops.length; i++) {
    if (!keep[i]) {
      skipped++;
      continue;
    }
    if (skipped) lines.push({ kind: "skipped", count: skipped });
    skipped = 0;
    if (lines.length >= limit) {
      truncated = true;
      break;
    }
    lines.push(ops[i] as Op);
  }
  if (skipped && !truncated) lines.push({ kind: "skipped", count: skipped });
  return { lines, truncated };
}

type MidOp = { kind: "same" | "added" | "removed"; text: string; i?: number; j?: number };

/** LCS over the differing middle; too large a middle is shown as all removed then all added. */
function middleOps(a: string[], b: string[]): MidOp[] {
  const n = a.length;
  const m = b.length;
  if (n * m > DIFF_LIMITS.maxLineCells) {
    return [...a.map((text, i): MidOp => ({ kind: "removed", text, i })), ...b.map((text, j): MidOp => ({ kind: "added", text, j }))];
  }
  // lcs[i][j] = LCS length of a[i..] and b[j..], in one flat array.
  const w = m + 1;
  const lcs = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * w + j] = a[i] === b[j] ? (lcs[(i + 1) * w + j + 1] as number) + 1 : Math.max(lcs[(i + 1) * w + j] as number, lcs[i * w + j + 1] as number);
    }
  }
  const out: MidOp[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push({ kind: "same", text: a[i] as string, i, j });
      i++;
      j++;
    } else if (i < n && (j === m || (lcs[(i + 1) * w + j] as number) >= (lcs[i * w + j + 1] as number))) {
      // Removals first on a tie, as unified diffs show them.
      out.push({ kind: "removed", text: a[i] as string, i });
      i++;
    } else {
      out.push({ kind: "added", text: b[j] as string, j });
      j++;
    }
  }
  return out;
}

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
  return a.byteLength === b.byteLength && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
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
export function diffResponses(before: ResponseLike, after: ResponseLike, ignoreHeaders: readonly string[] = VOLATILE_RESPONSE_HEADERS): ResponseDiff {
  return {
    status: before.status === after.status ? null : { before: before.status, after: after.status },
    headers: diffHeaders(before.headers, after.headers, ignoreHeaders),
    body: diffBodies(before.body, after.body),
  };
}
