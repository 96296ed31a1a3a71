// In-memory HQL evaluation over a SearchDoc (the live stream, the SQL confirm step). The semantics
// are docs/hql.md's, and the SQL compiler implements the same: strings case-insensitive, whole
// value unless globbed, `body:` and bare text substrings, NOT of a field on a missing value true.
import { parseQuery } from "../../body/query-params";
import type { SearchDoc } from "../doc";
import type { FieldRef, Interval, JsonStep, Node, Query, Value } from "./ast";
import { globContains, globMatch } from "./glob";
import { ipInCidr } from "./ip";
import { decodePath, searchTexts } from "./search-text";

interface Ctx {
  texts?: string[];
  body?: string;
  query?: { name: string; value: string }[];
}
const contexts = new WeakMap<SearchDoc, Ctx>();
function ctxOf(doc: SearchDoc): Ctx {
  let c = contexts.get(doc);
  if (!c) {
    c = {};
    contexts.set(doc, c);
  }
  return c;
}

const lower = (s: string) => s.toLowerCase();

export function inInterval(n: number, iv: Interval): boolean {
  if (iv.min !== undefined && (iv.minInclusive ? n < iv.min : n <= iv.min)) return false;
  if (iv.max !== undefined && (iv.maxInclusive ? n > iv.max : n >= iv.max)) return false;
  return true;
}

/** A written value against a string the capture holds. */
function matchString(v: Value, s: string): boolean {
  if (v.kind === "string") return v.glob ? globMatch(lower(v.text), lower(s)) : lower(v.text) === lower(s);
  if (v.kind === "number") return s.trim() === v.text;
  if (v.kind === "boolean") return lower(s) === String(v.b);
  return false;
}

/** A written value against a number the capture holds (status, size). */
function matchNumber(v: Value, n: number): boolean {
  if (v.kind === "number") return v.n === n;
  if (v.kind === "string") return v.glob ? globMatch(lower(v.text), String(n)) : v.text.trim() === String(n);
  return false;
}

/** A written value against a JSON leaf: strings to strings, numbers to numbers (and to "1000"). */
function matchJson(v: Value, leaf: unknown): boolean {
  if (typeof leaf === "string") return v.kind === "string" ? matchString(v, leaf) : v.kind === "number" && leaf === v.text;
  if (typeof leaf === "number") return v.kind === "number" && v.n === leaf;
  if (typeof leaf === "boolean") return v.kind === "boolean" && v.b === leaf;
  if (leaf === null) return v.kind === "null";
  return false;
}

/** The values a json path reaches (`[]` fans out over array elements); missing steps reach nothing. */
export function jsonValues(root: unknown, path: readonly JsonStep[]): unknown[] {
  let current: unknown[] = [root];
  for (const step of path) {
    const next: unknown[] = [];
    for (const v of current) {
      if ("key" in step) {
        if (v !== null && typeof v === "object" && !Array.isArray(v) && Object.hasOwn(v, step.key))
          next.push((v as Record<string, unknown>)[step.key]);
      } else if (Array.isArray(v)) {
        if ("index" in step) {
          if (step.index < v.length) next.push(v[step.index]);
        } else next.push(...v);
      }
    }
    current = next;
    if (current.length === 0) break;
  }
  return current;
}

function queryParams(doc: SearchDoc): { name: string; value: string }[] {
  const c = ctxOf(doc);
  c.query ??= parseQuery(doc.query);
  return c.query;
}

/** The strings a string-valued field holds on this capture (empty = missing). */
function stringsOf(field: FieldRef, doc: SearchDoc): string[] {
  switch (field.name) {
    case "method":
      return [doc.method];
    case "path": {
      const decoded = decodePath(doc.path);
      return decoded === doc.path ? [doc.path] : [doc.path, decoded];
    }
    case "query":
      return queryParams(doc)
        .filter((p) => p.name === field.key)
        .map((p) => p.value);
    case "header":
      return doc.headers.filter(([n]) => lower(n) === field.key).map(([, v]) => v);
    case "form":
      return (doc.form ?? []).filter(([n]) => n === field.key).map(([, v]) => v);
    case "type":
      return [doc.bodyType];
    case "sig":
      return [doc.sig];
    case "provider":
      return doc.provider ? [doc.provider] : [];
    case "event":
      return doc.event ? [doc.event] : [];
    case "delivery":
      return doc.delivery ? [doc.delivery] : [];
    case "endpoint":
      return doc.endpointAlias ? [doc.endpointId, doc.endpointAlias] : [doc.endpointId];
    case "ip":
      return [doc.ip];
    case "rejected":
      return doc.rejected === null ? [] : [doc.rejected];
    default:
      return [];
  }
}

function has(field: FieldRef, doc: SearchDoc): boolean {
  switch (field.name) {
    case "json":
      return doc.json !== undefined && jsonValues(doc.json, field.path).length > 0;
    case "body":
      return doc.size > 0 || doc.bodyText !== "";
    case "status":
    case "size":
    case "received":
      return true;
    default:
      return stringsOf(field, doc).length > 0;
  }
}

function matchField(node: Extract<Node, { kind: "field" }>, doc: SearchDoc): boolean {
  const { field, predicate: p } = node;
  if (field.name === "status" || field.name === "size" || field.name === "received") {
    const n = field.name === "status" ? doc.status : field.name === "size" ? doc.size : doc.receivedAt;
    if (p.op === "range") return inInterval(n, p.interval);
    if (p.op === "eq") return p.values.some((v) => matchNumber(v, n));
    return false;
  }
  if (field.name === "json") {
    if (doc.json === undefined || p.op === "cidr") return false;
    const leaves = jsonValues(doc.json, field.path);
    if (p.op === "range") return leaves.some((l) => typeof l === "number" && inInterval(l, p.interval));
    return leaves.some((l) => p.values.some((v) => matchJson(v, l)));
  }
  if (p.op === "cidr") return field.name === "ip" && ipInCidr(doc.ip, p.cidr);
  if (p.op === "range") return false;
  if (field.name === "body") {
    const c = ctxOf(doc);
    c.body ??= lower(doc.bodyText);
    const body = c.body;
    return p.values.some(
      (v) => v.kind !== "null" && globContains(lower(v.kind === "string" ? v.text : v.kind === "number" ? v.text : String(v.b)), body),
    );
  }
  if (field.name === "rejected") {
    return p.values.some((v) =>
      v.kind === "boolean" ? v.b === (doc.rejected !== null) : doc.rejected !== null && matchString(v, doc.rejected),
    );
  }
  const held = stringsOf(field, doc);
  return held.some((s) => p.values.some((v) => matchString(v, s)));
}

function matchText(text: string, doc: SearchDoc): boolean {
  const c = ctxOf(doc);
  c.texts ??= searchTexts(doc).map(lower);
  const needle = lower(text);
  return c.texts.some((t) => t.includes(needle));
}

export function evaluateNode(node: Node, doc: SearchDoc): boolean {
  switch (node.kind) {
    case "and":
      return node.children.every((c) => evaluateNode(c, doc));
    case "or":
      return node.children.some((c) => evaluateNode(c, doc));
    case "not":
      return !evaluateNode(node.child, doc);
    case "text":
      return matchText(node.text, doc);
    case "has":
      return has(node.field, doc);
    case "field":
      return matchField(node, doc);
  }
}

/** Whether the capture matches; the empty query matches everything. */
export function evaluate(query: Query, doc: SearchDoc): boolean {
  return query.root === null || evaluateNode(query.root, doc);
}
