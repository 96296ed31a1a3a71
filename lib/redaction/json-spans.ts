// Locates the byte spans of the values a set of JSON paths select, without building a tree and
// without recursion: an explicit stack, so 100,000-deep nesting costs an array of frames, not the
// call stack. Matching is an NFA over the path segments: each open container carries the set of
// path positions still alive in it, and a child's set is derived from its key or index. A value
// whose set reaches the end of a path is recorded whole and its insides are only skipped over.
//
// The whole document is validated (RFC 8259 grammar, plus a leading UTF-8 BOM) before any span is
// reported: invalid JSON yields null so that callers never mask a guess. Bytes >= 0x80 inside strings
// are not checked for valid UTF-8, so a body with a stray invalid byte still gets its paths masked.
import { formatJsonLocation, type PathSegment } from "../body/json-path";

const KIND_NAME = 0;
const KIND_INDEX = 1;
const KIND_ANY = 2;
const KIND_ACCEPT = 3;

/** Flattened path segments; each path ends with an accept entry naming its rule. */
export interface JsonPathProgram {
  kind: number[];
  descend: boolean[];
  name: (string | null)[];
  index: number[];
  rule: number[];
  starts: number[];
}

export interface JsonSpan {
  /** Byte offsets of the whole value (quotes and brackets included): [start, end). */
  start: number;
  end: number;
  /** Index of the rule (in the caller's rule list) whose path matched. */
  rule: number;
  /** Concrete location, e.g. `$.users[0].email`; very deep locations keep only their tail. */
  location: string;
}

export function buildJsonPathProgram(paths: readonly { rule: number; segments: readonly PathSegment[] }[]): JsonPathProgram {
  const p: JsonPathProgram = { kind: [], descend: [], name: [], index: [], rule: [], starts: [] };
  for (const { rule, segments } of paths) {
    p.starts.push(p.kind.length);
    for (const s of segments) {
      const sel = s.selector;
      p.kind.push(sel.type === "name" ? KIND_NAME : sel.type === "index" ? KIND_INDEX : KIND_ANY);
      p.descend.push(s.descend);
      p.name.push(sel.type === "name" ? sel.name : null);
      p.index.push(sel.type === "index" ? sel.index : -1);
      p.rule.push(rule);
    }
    p.kind.push(KIND_ACCEPT);
    p.descend.push(false);
    p.name.push(null);
    p.index.push(-1);
    p.rule.push(rule);
  }
  return p;
}

const EMPTY: readonly number[] = [];
const MAX_LOCATION_KEYS = 32;

interface Frame {
  isObject: boolean;
  /** Path positions alive for this container's children (empty when nothing can match below). */
  states: readonly number[];
  /** Start offset when the whole container is being masked, else -1. */
  maskStart: number;
  maskRule: number;
  maskLocation: string;
  /** The current child's key or index, for locations. */
  key: string | number;
  count: number;
}

const Q = 0x22;
const BS = 0x5c;

function isWs(c: number | undefined): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function isHex(c: number | undefined): boolean {
  return c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66));
}

/** End offset (after the closing quote) of the string starting at `p`, or -1 if malformed. */
function scanString(b: Uint8Array, p: number): number {
  const n = b.length;
  let i = p + 1;
  while (i < n) {
    const c = b[i] as number;
    if (c === Q) return i + 1;
    if (c === BS) {
      const e = b[i + 1];
      if (e === 0x75) {
        if (!(isHex(b[i + 2]) && isHex(b[i + 3]) && isHex(b[i + 4]) && isHex(b[i + 5]))) return -1;
        i += 6;
        continue;
      }
      // " \ / b f n r t
      if (e === Q || e === BS || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
        i += 2;
        continue;
      }
      return -1;
    }
    if (c < 0x20) return -1;
    i++;
  }
  return -1;
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

function scanNumber(b: Uint8Array, p: number): number {
  let i = p;
  if (b[i] === 0x2d) i++;
  if (b[i] === 0x30) i++;
  else if (isDigit(b[i])) while (isDigit(b[i])) i++;
  else return -1;
  if (b[i] === 0x2e) {
    i++;
    if (!isDigit(b[i])) return -1;
    while (isDigit(b[i])) i++;
  }
  if (b[i] === 0x65 || b[i] === 0x45) {
    i++;
    if (b[i] === 0x2b || b[i] === 0x2d) i++;
    if (!isDigit(b[i])) return -1;
    while (isDigit(b[i])) i++;
  }
  return i;
}

const LITERALS = [
  [0x74, 0x72, 0x75, 0x65], // true
  [0x66, 0x61, 0x6c, 0x73, 0x65], // false
  [0x6e, 0x75, 0x6c, 0x6c], // null
];

function scanScalar(b: Uint8Array, p: number): number {
  const c = b[p];
  if (c === Q) return scanString(b, p);
  if (c === 0x2d || isDigit(c)) return scanNumber(b, p);
  for (const lit of LITERALS) {
    if (lit[0] !== c) continue;
    for (let k = 1; k < lit.length; k++) if (b[p + k] !== lit[k]) return -1;
    return p + lit.length;
  }
  return -1;
}

const utf8 = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

/** The decoded text of the JSON string token b[start, end) (quotes included). Assumes it was scanned. */
export function decodeJsonString(b: Uint8Array, start: number, end: number): string {
  const inner = b.subarray(start + 1, end - 1);
  if (inner.indexOf(BS) === -1) return utf8.decode(inner);
  let out = "";
  let run = 0;
  let i = 0;
  while (i < inner.length) {
    if (inner[i] !== BS) {
      i++;
      continue;
    }
    out += utf8.decode(inner.subarray(run, i));
    const e = inner[i + 1];
    if (e === 0x75) {
      out += String.fromCharCode(parseInt(String.fromCharCode(...inner.subarray(i + 2, i + 6)), 16));
      i += 6;
    } else {
      out +=
        e === 0x62 ? "\b" : e === 0x66 ? "\f" : e === 0x6e ? "\n" : e === 0x72 ? "\r" : e === 0x74 ? "\t" : String.fromCharCode(e ?? 0);
      i += 2;
    }
    run = i;
  }
  return out + utf8.decode(inner.subarray(run));
}

function childStates(prog: JsonPathProgram, states: readonly number[], key: string | number): readonly number[] {
  if (states.length === 0) return EMPTY;
  let out: number[] | null = null;
  for (const g of states) {
    const kind = prog.kind[g];
    if (kind === KIND_ACCEPT) continue;
    if (prog.descend[g]) {
      out ??= [];
      if (!out.includes(g)) out.push(g);
    }
    const hit = kind === KIND_ANY || (kind === KIND_NAME ? prog.name[g] === key : prog.index[g] === key);
    if (hit) {
      out ??= [];
      if (!out.includes(g + 1)) out.push(g + 1);
    }
  }
  if (out === null) return EMPTY;
  // Recursive descent keeps the same set level after level: share the parent's array.
  if (out.length === states.length && out.every((g, i) => states[i] === g)) return states;
  return out;
}

function acceptingRule(prog: JsonPathProgram, states: readonly number[]): number {
  for (const g of states) if (prog.kind[g] === KIND_ACCEPT) return prog.rule[g] ?? -1;
  return -1;
}

function locationOf(stack: readonly Frame[]): string {
  const keys: (string | number)[] = [];
  const from = Math.max(0, stack.length - MAX_LOCATION_KEYS);
  for (let i = from; i < stack.length; i++) keys.push((stack[i] as Frame).key);
  return formatJsonLocation(keys, from > 0);
}

/**
 * Reads `"key" :` at `at` (whitespace before it already skipped) and sets frame.key; returns the
 * offset after the colon, or -1. The key is only decoded when a path can still match below.
 */
function readMember(b: Uint8Array, at: number, frame: Frame): number {
  if (b[at] !== Q) return -1;
  const end = scanString(b, at);
  if (end < 0) return -1;
  frame.key = frame.states.length > 0 ? decodeJsonString(b, at, end) : "";
  let q = end;
  while (isWs(b[q])) q++;
  return b[q] === 0x3a ? q + 1 : -1;
}

/**
 * Spans of the values the program selects, in document order and never overlapping (a value inside
 * a masked value is not reported separately). Returns null when `b` is not one valid JSON document.
 */
export function findJsonSpans(b: Uint8Array, prog: JsonPathProgram): JsonSpan[] | null {
  const n = b.length;
  const spans: JsonSpan[] = [];
  const stack: Frame[] = [];
  let p = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  let states: readonly number[] = prog.starts.length > 0 ? prog.starts : EMPTY;
  let expectValue = true;

  for (;;) {
    while (isWs(b[p])) p++;
    if (expectValue) {
      if (p >= n) return null;
      const c = b[p];
      const rule = acceptingRule(prog, states);
      if (c === 0x7b || c === 0x5b) {
        const isObject = c === 0x7b;
        const masked = rule >= 0;
        const frame: Frame = {
          isObject,
          states: masked ? EMPTY : states,
          maskStart: masked ? p : -1,
          maskRule: rule,
          maskLocation: masked ? locationOf(stack) : "",
          key: 0,
          count: 0,
        };
        stack.push(frame);
        p++;
        while (isWs(b[p])) p++;
        if (b[p] === (isObject ? 0x7d : 0x5d)) {
          p++;
          stack.pop();
          if (masked) spans.push({ start: frame.maskStart, end: p, rule, location: frame.maskLocation });
          expectValue = false;
          continue;
        }
        if (isObject) {
          const r = readMember(b, p, frame);
          if (r < 0) return null;
          p = r;
          states = childStates(prog, frame.states, frame.key);
        } else {
          frame.key = 0;
          states = childStates(prog, frame.states, 0);
        }
        continue;
      }
      const end = scanScalar(b, p);
      if (end < 0) return null;
      if (rule >= 0) spans.push({ start: p, end, rule, location: locationOf(stack) });
      p = end;
      expectValue = false;
      continue;
    }

    const top = stack[stack.length - 1];
    if (top === undefined) return p >= n ? spans : null;
    if (p >= n) return null;
    const c = b[p];
    if (c === 0x2c) {
      p++;
      top.count++;
      if (top.isObject) {
        while (isWs(b[p])) p++;
        const r = readMember(b, p, top);
        if (r < 0) return null;
        p = r;
      } else {
        top.key = top.count;
      }
      states = childStates(prog, top.states, top.key);
      expectValue = true;
      continue;
    }
    if (c === (top.isObject ? 0x7d : 0x5d)) {
      p++;
      stack.pop();
      if (top.maskStart >= 0) spans.push({ start: top.maskStart, end: p, rule: top.maskRule, location: top.maskLocation });
      continue;
    }
    return null;
  }
}
