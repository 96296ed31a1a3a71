// Syntax highlighting for the search bar: spans over the source, in order, never overlapping, never
// throwing. A lexing error marks the rest of the text from its position; a parse error marks the
// tokens it covers (the unknown field, the bad value), so the bar underlines what the error names.
import { HqlError } from "./errors";
import { lex, MAX_QUERY_LENGTH, type Token } from "./lexer";
import { parse } from "./parser";

export type HighlightKind = "field" | "operator" | "value" | "text" | "paren" | "keyword" | "error";

export interface HighlightSpan {
  start: number;
  end: number;
  kind: HighlightKind;
}

function spansOf(t: Token): HighlightSpan[] {
  switch (t.t) {
    case "lparen":
    case "rparen":
      return [{ start: t.start, end: t.end, kind: "paren" }];
    case "neg":
      return [{ start: t.start, end: t.end, kind: "operator" }];
    case "keyword":
      return [{ start: t.start, end: t.end, kind: "keyword" }];
    case "text":
      return [{ start: t.start, end: t.end, kind: "text" }];
    case "field": {
      const out: HighlightSpan[] = [{ start: t.start, end: t.colon + 1, kind: "field" }];
      // has:'s value is a field name.
      const valueKind = t.name.toLowerCase() === "has" ? "field" : "value";
      if (t.op) out.push({ start: t.op.start, end: t.op.end, kind: "operator" });
      if (t.list) out.push({ start: t.list.open, end: t.list.open + 1, kind: "paren" });
      const commas = t.list?.commas ?? [];
      for (const v of t.values) {
        for (const c of commas) if (c < v.start && !out.some((s) => s.start === c)) out.push({ start: c, end: c + 1, kind: "operator" });
        const dots = v.quoted ? -1 : v.text.indexOf("..");
        if (dots >= 0 && !t.op) {
          const at = v.start + dots;
          if (at > v.start) out.push({ start: v.start, end: at, kind: valueKind });
          out.push({ start: at, end: at + 2, kind: "operator" });
          if (v.end > at + 2) out.push({ start: at + 2, end: v.end, kind: valueKind });
        } else out.push({ start: v.start, end: v.end, kind: valueKind });
      }
      for (const c of commas) if (!out.some((s) => s.start === c)) out.push({ start: c, end: c + 1, kind: "operator" });
      if (t.list) out.push({ start: t.list.close, end: t.list.close + 1, kind: "paren" });
      return out.sort((a, b) => a.start - b.start);
    }
  }
}

export function highlight(source: string): HighlightSpan[] {
  // Over the bound: the allowed part keeps its colours, the excess is the error.
  if (source.length > MAX_QUERY_LENGTH) {
    const head = highlight(source.slice(0, MAX_QUERY_LENGTH)).filter((s) => s.kind !== "error");
    return [...head, { start: MAX_QUERY_LENGTH, end: source.length, kind: "error" }];
  }
  try {
    const { tokens, error } = lex(source);
    const spans = tokens.flatMap(spansOf);
    if (error) {
      const end = Math.max(error.end, source.length);
      if (error.position < end) spans.push({ start: error.position, end, kind: "error" });
      return spans;
    }
    try {
      parse(source, { now: 0 });
      return spans;
    } catch (e) {
      if (!(e instanceof HqlError)) throw e;
      const [from, to] = [e.position, Math.max(e.end, e.position)];
      if (from === to) return spans;
      // Spans inside the error become error; partly covered spans are trimmed around it.
      const out: HighlightSpan[] = [];
      for (const s of spans) {
        if (s.end <= from || s.start >= to) out.push(s);
        else {
          if (s.start < from) out.push({ ...s, end: from });
          if (s.end > to) out.push({ ...s, start: to });
        }
      }
      out.push({ start: from, end: to, kind: "error" });
      return out.sort((a, b) => a.start - b.start);
    }
  } catch {
    return source.length > 0 ? [{ start: 0, end: source.length, kind: "error" }] : [];
  }
}
