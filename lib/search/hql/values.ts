// Field values: what each field accepts, checked when parsing so a wrong value is an error at its
// position (`status:abc`, `size:>1zb`, `sig:maybe`), and turned into the tree's Value / Interval.
import type { Interval, Value } from "./ast";
import { fail } from "./errors";
import type { RawValue } from "./lexer";

export type Op = ">" | ">=" | "<" | "<=";

/** `>n` and friends as an interval. */
export function compare(op: Op, n: number): Interval {
  if (op === ">") return { min: n, minInclusive: false };
  if (op === ">=") return { min: n, minInclusive: true };
  if (op === "<") return { max: n, maxInclusive: false };
  return { max: n, maxInclusive: true };
}

/** Splits an unquoted `a..b` (either side may be empty, not both); null when there is no `..`. */
export function splitRange(v: RawValue): { lo: string; hi: string; dots: number } | null {
  if (v.quoted) return null;
  const at = v.text.indexOf("..");
  if (at < 0) return null;
  const lo = v.text.slice(0, at);
  const hi = v.text.slice(at + 2);
  if (lo === "" && hi === "") fail(v.start, v.end, "a range needs at least one bound", ["a..b"]);
  return { lo, hi, dots: v.start + at };
}

/** A string value (glob when it holds `*`); `\*` literal stars cannot be mixed with wildcards. */
export function stringValue(v: RawValue): Value {
  if (v.glob && v.literalStar) fail(v.start, v.end, "a value cannot mix * wildcards with \\* literal stars");
  return { kind: "string", text: v.text, glob: v.glob };
}

const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** json.<path> values: true/false/null, numbers, strings; quoted is always a string. */
export function jsonValue(v: RawValue): Value {
  if (!v.quoted) {
    if (v.text === "true" || v.text === "false") return { kind: "boolean", b: v.text === "true" };
    if (v.text === "null") return { kind: "null" };
    if (NUMBER.test(v.text)) return { kind: "number", n: Number(v.text), text: v.text };
  }
  return stringValue(v);
}

export function jsonNumber(text: string, start: number, end: number): number {
  if (!NUMBER.test(text)) fail(start, end, `"${text}" is not a number (json comparisons and ranges compare numbers)`, ["a number"]);
  return Number(text);
}

const STATUS_EXPECTED = ["a status like 404", "a class like 5xx", "a comparison like >=500", "a range like 400..499"];

function statusNumber(text: string, start: number, end: number): number {
  if (!/^[1-9]\d\d$/.test(text)) fail(start, end, `"${text}" is not a status (100 to 999)`, STATUS_EXPECTED);
  return Number(text);
}

/** status: 404 | 5xx | (op) n | a..b. */
export function statusValue(v: RawValue, op: Op | undefined): Value | Interval {
  const cls = /^([1-9])xx$/i.exec(v.text);
  if (cls && !op) return { min: Number(cls[1]) * 100, minInclusive: true, max: Number(cls[1]) * 100 + 99, maxInclusive: true };
  const r = op ? null : splitRange(v);
  if (r)
    return bounds(
      r.lo === "" ? undefined : statusNumber(r.lo, v.start, r.dots),
      r.hi === "" ? undefined : statusNumber(r.hi, r.dots + 2, v.end),
    );
  const n = statusNumber(v.text, v.start, v.end);
  return op ? compare(op, n) : { kind: "number", n, text: v.text };
}

export function bounds(min: number | undefined, max: number | undefined): Interval {
  const out: Interval = {};
  if (min !== undefined) Object.assign(out, { min, minInclusive: true });
  if (max !== undefined) Object.assign(out, { max, maxInclusive: true });
  return out;
}

const UNITS: Record<string, number> = { "": 1, b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

function sizeBytes(text: string, start: number, end: number): number {
  const m = /^(\d+(?:\.\d+)?)([a-z]*)$/i.exec(text);
  const mult = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || mult === undefined)
    fail(start, end, `"${text}" is not a size (units b, kb, mb, gb; 1kb = 1024)`, [
      "bytes like 100",
      "a size like 1kb or 1.5mb",
      "a comparison like >1mb",
      "a range like 1kb..10kb",
    ]);
  return Math.round(Number(m[1]) * mult);
}

/** size: n[unit] | (op) n[unit] | a..b. */
export function sizeValue(v: RawValue, op: Op | undefined): Value | Interval {
  const r = op ? null : splitRange(v);
  if (r)
    return bounds(r.lo === "" ? undefined : sizeBytes(r.lo, v.start, r.dots), r.hi === "" ? undefined : sizeBytes(r.hi, r.dots + 2, v.end));
  const n = sizeBytes(v.text, v.start, v.end);
  return op ? compare(op, n) : { kind: "number", n, text: String(n) };
}

const REL_UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?([Zz]|[+-]\d{2}:\d{2})?)?$/;

/** A written time: a point (relative, `now`) or a period [start, end) (a date, a minute, a second…). */
interface Time {
  start: number;
  end: number;
  period: boolean;
}

function timeOf(text: string, start: number, end: number, now: number): Time {
  if (text.toLowerCase() === "now") return { start: now, end: now, period: false };
  const rel = /^-(\d{1,6})([smhdw])$/.exec(text);
  if (rel) {
    const t = now - Number(rel[1]) * REL_UNITS[rel[2]!]!;
    return { start: t, end: t, period: false };
  }
  const m = ISO.exec(text);
  if (m) {
    const [y = "", mo = "", d = "", h = "", mi = "", s = "", ms = "", tz = ""] = m.slice(1).map((x) => x ?? "");
    const base = Date.UTC(
      Number(y),
      Number(mo) - 1,
      Number(d),
      Number(h || 0),
      Number(mi || 0),
      Number(s || 0),
      Number(ms.padEnd(3, "0") || 0),
    );
    const check = new Date(base);
    const valid =
      check.getUTCFullYear() === Number(y) &&
      check.getUTCMonth() === Number(mo) - 1 &&
      check.getUTCDate() === Number(d) &&
      Number(h || 0) < 24 &&
      Number(mi || 0) < 60 &&
      Number(s || 0) < 60;
    if (valid) {
      const offset =
        tz && tz.toUpperCase() !== "Z" ? (tz[0] === "-" ? -1 : 1) * (Number(tz.slice(1, 3)) * 60 + Number(tz.slice(4, 6))) * 60_000 : 0;
      const t = base - offset;
      const span = h === "" ? 86_400_000 : s === "" ? 60_000 : ms === "" ? 1000 : 10 ** (3 - ms.length);
      return { start: t, end: t + span, period: true };
    }
  }
  fail(start, end, `"${text}" is not a time`, ["-1h (s, m, h, d, w ago)", "2026-12-01", "2026-12-01T10:00Z", "now"]);
}

/**
 * received: always an interval (epoch ms). A date or time denotes its whole period (a bare date is
 * that UTC day); `>p` = after the period, `<p` = before it; a bare relative time means since then.
 */
export function receivedValue(v: RawValue, op: Op | undefined, now: number): Interval {
  const r = op ? null : splitRange(v);
  if (r) {
    const out: Interval = {};
    if (r.lo !== "") Object.assign(out, { min: timeOf(r.lo, v.start, r.dots, now).start, minInclusive: true });
    if (r.hi !== "") {
      const hi = timeOf(r.hi, r.dots + 2, v.end, now);
      Object.assign(out, hi.period ? { max: hi.end, maxInclusive: false } : { max: hi.start, maxInclusive: true });
    }
    return out;
  }
  const t = timeOf(v.text, v.start, v.end, now);
  if (op === ">") return t.period ? { min: t.end, minInclusive: true } : { min: t.start, minInclusive: false };
  if (op === ">=") return { min: t.start, minInclusive: true };
  if (op === "<") return { max: t.start, maxInclusive: false };
  if (op === "<=") return t.period ? { max: t.end, maxInclusive: false } : { max: t.start, maxInclusive: true };
  return t.period ? { min: t.start, minInclusive: true, max: t.end, maxInclusive: false } : { min: t.start, minInclusive: true };
}

/** type:/sig: a closed set, lower-cased. */
export function enumValue(v: RawValue, field: string, allowed: readonly string[]): Value {
  const text = v.text.toLowerCase();
  if (!allowed.includes(text)) fail(v.start, v.end, `${field}: takes ${allowed.join(", ")}, not "${v.text}"`, [...allowed], [...allowed]);
  return { kind: "string", text, glob: false };
}
