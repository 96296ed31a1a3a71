// Canonical HQL text for a tree: parse(print(q)) gives the same tree (spans aside). Used by tests and
// jobs (a job shows the query it runs). Times print as ISO instants, sizes as bytes, `5xx` as a range.
import type { Interval, Node, Query, Value } from "./ast";
import { fieldName } from "./fields";

const PLAIN = /^[^\s"()[\],]+$/;
const LITERAL = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)$/;

function quote(text: string, glob: boolean): string {
  const escaped = text.replace(/[\\"]/g, "\\$&");
  return `"${glob ? escaped : escaped.replace(/\*/g, "\\*")}"`;
}

function printText(text: string): string {
  const keyword = text === "OR" || text === "AND" || text === "NOT";
  return PLAIN.test(text) && !keyword && !text.startsWith("-") && !text.includes(":") ? text : quote(text, true);
}

function printValue(v: Value): string {
  if (v.kind === "number") return v.text;
  if (v.kind === "boolean") return String(v.b);
  if (v.kind === "null") return "null";
  const needsQuote =
    !PLAIN.test(v.text) || LITERAL.test(v.text) || /^[<>-]/.test(v.text) || v.text.includes("..") || (!v.glob && v.text.includes("*"));
  return needsQuote ? quote(v.text, v.glob) : v.text;
}

function bound(n: number, time: boolean): string {
  return time ? new Date(n).toISOString() : String(n);
}

/**
 * received: an ISO instant with milliseconds denotes the period [t, t + 1 ms), so integer-ms
 * bounds print as `>=a`, `<b` or `a..(b - 1 ms)`, and the printed text is a fixed point.
 */
function printTimes(iv: Interval): string {
  const lo = iv.min === undefined ? undefined : iv.minInclusive ? iv.min : iv.min + 1;
  const hi = iv.max === undefined ? undefined : iv.maxInclusive ? iv.max + 1 : iv.max;
  const iso = (n: number) => new Date(n).toISOString();
  if (lo !== undefined && hi !== undefined) return `received:${iso(lo)}..${iso(hi - 1)}`;
  if (lo !== undefined) return `received:>=${iso(lo)}`;
  if (hi !== undefined) return `received:<${iso(hi)}`;
  return "received:..";
}

function printInterval(name: string, iv: Interval, time: boolean): string {
  if (time) return printTimes(iv);
  const f = `${name}:`;
  const lo = iv.min === undefined ? null : `${iv.minInclusive ? ">=" : ">"}${bound(iv.min, time)}`;
  const hi = iv.max === undefined ? null : `${iv.maxInclusive ? "<=" : "<"}${bound(iv.max, time)}`;
  if (lo && hi) {
    if (iv.minInclusive && iv.maxInclusive) return `${f}${bound(iv.min!, time)}..${bound(iv.max!, time)}`;
    return `(${f}${lo} ${f}${hi})`;
  }
  if (lo) return f + lo;
  if (hi) return f + hi;
  return `${f}..`;
}

function printNode(node: Node): string {
  switch (node.kind) {
    case "and":
      return node.children.map((c) => (c.kind === "or" ? `(${printNode(c)})` : printNode(c))).join(" ");
    case "or":
      return node.children.map(printNode).join(" OR ");
    case "not":
      return `-${node.child.kind === "and" || node.child.kind === "or" ? `(${printNode(node.child)})` : printNode(node.child)}`;
    case "text":
      return printText(node.text);
    case "has":
      return `has:${fieldName(node.field)}`;
    case "field": {
      const name = fieldName(node.field);
      const p = node.predicate;
      if (p.op === "cidr") return `${name}:${p.cidr}`;
      if (p.op === "range") return printInterval(name, p.interval, node.field.name === "received");
      const values = p.values.map(printValue);
      return `${name}:${values.length === 1 ? values[0] : `[${values.join(",")}]`}`;
    }
  }
}

export function print(query: Query): string {
  return query.root === null ? "" : printNode(query.root);
}
