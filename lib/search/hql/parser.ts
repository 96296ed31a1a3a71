// The HQL parser: recursive descent over the lexer's tokens.
//   query  := or EOF
//   or     := and ("OR" and)*            OR binds looser than the implicit AND: `a b OR c` = (a b) OR c
//   and    := unary (["AND"] unary)*
//   unary  := ("-" | "NOT") unary | primary
//   primary:= "(" or ")" | text | field-term
// Bounds: MAX_QUERY_LENGTH characters, MAX_TERMS terms, MAX_DEPTH nested groups/negations.
import { HQL_VERSION, type Interval, type Node, type Predicate, type Query, type Span, type Value } from "./ast";
import { fail } from "./errors";
import { BODY_TYPES, fieldName, resolveField, resolveHasField, SIG_STATES } from "./fields";
import { normaliseCidr } from "./ip";
import { type FieldToken, lex, type RawValue, type Token } from "./lexer";
import {
  bounds,
  compare,
  enumValue,
  jsonNumber,
  jsonValue,
  type Op,
  receivedValue,
  sizeValue,
  splitRange,
  statusValue,
  stringValue,
} from "./values";

export const MAX_TERMS = 64;
export const MAX_DEPTH = 16;

export interface ParseOptions {
  /** Epoch ms that relative times (`-1h`) count from; default Date.now(). */
  now?: number;
}

const TERM_START = ["a word", '"a phrase"', "field:value", "(", "-", "NOT"];

function fieldNode(tok: FieldToken, now: number): Node {
  const span: Span = { start: tok.start, end: tok.end };
  if (tok.name.toLowerCase() === "has") {
    const v = tok.values[0];
    if (!v || tok.op || tok.list || v.quoted)
      fail(tok.colon + 1, Math.max(tok.end, tok.colon + 1), "has: takes one field name", ["has:header.<name>"]);
    return { kind: "has", field: resolveHasField(v.text, v.start), span };
  }
  const field = resolveField(tok.name, tok.start);
  const name = fieldName(field);
  if (tok.values.length === 0)
    fail(tok.colon + 1, tok.colon + 1, `expected a value after "${tok.name}:"`, ["a value", '"a quoted value"', "[a,b]"]);
  const op = tok.op?.text as Op | undefined;
  const numeric = field.name === "status" || field.name === "size" || field.name === "received" || field.name === "json";
  if (op && !numeric)
    fail(tok.op!.start, tok.op!.end, `${name}: has no comparisons (status, size, received and json.<path> do)`, ["a value"]);
  const one = (v: RawValue): Value | Interval | { cidr: string } => {
    switch (field.name) {
      case "status":
        return statusValue(v, op);
      case "size":
        return sizeValue(v, op);
      case "received":
        return receivedValue(v, op, now);
      case "type":
        return enumValue(v, "type", BODY_TYPES);
      case "sig":
        return enumValue(v, "sig", SIG_STATES);
      case "ip": {
        const cidr = v.glob ? null : normaliseCidr(v.text);
        if (!cidr) fail(v.start, v.end, `"${v.text}" is not an IP address or CIDR`, ["203.0.113.7", "203.0.113.0/24", "2001:db8::/32"]);
        return { cidr };
      }
      case "rejected":
        if (!v.quoted && /^(true|false)$/i.test(v.text)) return { kind: "boolean", b: v.text.toLowerCase() === "true" };
        return stringValue(v);
      case "json": {
        if (op) return compare(op, jsonNumber(v.text, v.start, v.end));
        const r = splitRange(v);
        if (r)
          return bounds(
            r.lo === "" ? undefined : jsonNumber(r.lo, v.start, r.dots),
            r.hi === "" ? undefined : jsonNumber(r.hi, r.dots + 2, v.end),
          );
        return jsonValue(v);
      }
      default:
        return stringValue(v);
    }
  };
  const parts = tok.values.map((v) => ({ v, p: one(v) }));
  const isValue = (p: Value | Interval | { cidr: string }): p is Value => "kind" in p;
  const pred = (p: Value | Interval | { cidr: string }): Predicate =>
    isValue(p) ? { op: "eq", values: [p] } : "cidr" in p ? { op: "cidr", cidr: p.cidr } : { op: "range", interval: p };
  if (parts.every(({ p }) => isValue(p)))
    return { kind: "field", field, predicate: { op: "eq", values: parts.map(({ p }) => p as Value) }, span };
  if (parts.length === 1) return { kind: "field", field, predicate: pred(parts[0]!.p), span };
  // A list mixing ranges, CIDRs and values: any of them.
  return {
    kind: "or",
    children: parts.map(({ v, p }) => ({ kind: "field", field, predicate: pred(p), span: { start: v.start, end: v.end } })),
    span,
  };
}

class Parser {
  private i = 0;
  private terms = 0;
  private depth = 0;
  constructor(
    private readonly src: string,
    private readonly tokens: Token[],
    private readonly now: number,
  ) {}

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private isKeyword(t: Token | undefined, word: string): boolean {
    return t?.t === "keyword" && t.word === word;
  }

  parseQuery(): Node | null {
    if (this.tokens.length === 0) return null;
    const node = this.or();
    const t = this.peek();
    if (t) {
      if (t.t === "rparen") fail(t.start, t.end, 'unmatched ")"', ["a term", "OR", "end of query"]);
      fail(t.start, t.end, "unexpected text", ["a term", "OR", "end of query"]);
    }
    return node;
  }

  private or(): Node {
    const children = [this.and()];
    while (this.isKeyword(this.peek(), "OR")) {
      const kw = this.peek()!;
      this.i++;
      const next = this.peek();
      if (!next || next.t === "rparen" || this.isKeyword(next, "OR") || this.isKeyword(next, "AND"))
        fail(next?.start ?? kw.end, next?.end ?? kw.end, `expected a term after OR`, TERM_START);
      children.push(this.and());
    }
    return join("or", children);
  }

  private and(): Node {
    const children = [this.unary()];
    for (;;) {
      const t = this.peek();
      if (!t || t.t === "rparen" || this.isKeyword(t, "OR")) break;
      if (this.isKeyword(t, "AND")) {
        this.i++;
        const next = this.peek();
        if (!next || next.t === "rparen" || this.isKeyword(next, "OR") || this.isKeyword(next, "AND"))
          fail(next?.start ?? t.end, next?.end ?? t.end, "expected a term after AND", TERM_START);
      }
      children.push(this.unary());
    }
    return join("and", children);
  }

  private enter(start: number, end: number): void {
    if (++this.depth > MAX_DEPTH) fail(start, end, `nested deeper than ${MAX_DEPTH} levels (groups and negations)`);
  }

  private unary(): Node {
    const t = this.peek();
    if (t && (t.t === "neg" || this.isKeyword(t, "NOT"))) {
      this.i++;
      this.enter(t.start, t.end);
      const next = this.peek();
      if (!next || next.t === "rparen" || (next.t === "keyword" && next.word !== "NOT"))
        fail(next?.start ?? t.end, next?.end ?? t.end, `expected a term after ${t.t === "neg" ? '"-"' : "NOT"}`, TERM_START);
      const child = this.unary();
      this.depth--;
      return { kind: "not", child, span: { start: t.start, end: child.span.end } };
    }
    return this.primary();
  }

  private primary(): Node {
    const t = this.peek();
    if (!t) fail(this.src.length, this.src.length, "expected a term", TERM_START);
    if (t.t === "lparen") {
      this.i++;
      this.enter(t.start, t.end);
      if (this.peek()?.t === "rparen") fail(t.start, this.peek()!.end, "empty group", TERM_START);
      const inner = this.or();
      const close = this.peek();
      if (close?.t !== "rparen") fail(t.start, t.end, 'unclosed "(": expected ")"', [")", "a term", "OR"]);
      this.i++;
      this.depth--;
      return { ...inner, span: { start: t.start, end: close.end } };
    }
    if (t.t === "rparen") fail(t.start, t.end, 'unexpected ")"', TERM_START);
    if (t.t === "keyword") fail(t.start, t.end, `unexpected ${t.word}`, TERM_START);
    if (++this.terms > MAX_TERMS) fail(t.start, t.end, `more than ${MAX_TERMS} terms`);
    this.i++;
    if (t.t === "text") {
      if (t.text === "") fail(t.start, t.end, "empty phrase", ['"some text"']);
      return { kind: "text", text: t.text, span: { start: t.start, end: t.end } };
    }
    if (t.t === "field") return fieldNode(t, this.now);
    fail(t.start, t.end, "unexpected -", TERM_START);
  }
}

/** One child stays itself; nested nodes of the same kind are flattened. */
function join(kind: "and" | "or", children: Node[]): Node {
  if (children.length === 1) return children[0]!;
  const flat = children.flatMap((c) => (c.kind === kind ? c.children : [c]));
  return { kind, children: flat, span: { start: children[0]!.span.start, end: children[children.length - 1]!.span.end } };
}

/** Parses HQL text; throws HqlError (position, expected, suggestions) on a malformed query. */
export function parse(source: string, options: ParseOptions = {}): Query {
  const { tokens, error } = lex(source);
  if (error) throw error;
  const root = new Parser(source, tokens, options.now ?? Date.now()).parseQuery();
  return { version: HQL_VERSION, source, root };
}
