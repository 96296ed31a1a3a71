// The HQL lexer. Context-sensitive on purpose (docs/hql.md, "Lexing"): a bare word whose prefix
// before the first `:` is field-shaped (letters, then optionally `.name` / `[n]` parts) is a
// field term, and what follows the colon is lexed as that field's value (comparison operator,
// list, quoted or bare value). `https://x` (a letters prefix followed by `//`) and words whose
// prefix is not field-shaped (`10:30`, `:x`) stay text.
import { fail, HqlError } from "./errors";
import { FIELD_SHAPED } from "./fields";

export const MAX_QUERY_LENGTH = 2000;

/** One written value: `text` unescaped; `*` in it are wildcards, `\*` (quoted only) a literal star. */
export interface RawValue {
  text: string;
  quoted: boolean;
  /** Any unescaped `*`. */
  glob: boolean;
  /** Any `\*`. */
  literalStar: boolean;
  start: number;
  end: number;
}

export interface FieldToken {
  t: "field";
  /** The field name as written. */
  name: string;
  start: number;
  /** Offset of the colon. */
  colon: number;
  /** `>`, `>=`, `<`, `<=` before the value. */
  op?: { text: ">" | ">=" | "<" | "<="; start: number; end: number };
  /** `[a,b]`: the brackets' offsets. */
  list?: { open: number; close: number; commas: number[] };
  values: RawValue[];
  end: number;
}

export type Token =
  | { t: "lparen" | "rparen" | "neg"; start: number; end: number }
  | { t: "keyword"; word: "OR" | "AND" | "NOT"; start: number; end: number }
  | { t: "text"; text: string; quoted: boolean; start: number; end: number }
  | FieldToken;

const isSpace = (c: string | undefined) => c === " " || c === "\t" || c === "\n" || c === "\r";
const endsBare = (c: string | undefined) => c === undefined || isSpace(c) || c === "(" || c === ")";

/** A `"…"` at `start`; escapes \" and \\ (and \* = a literal star in field values). */
function quoted(src: string, start: number): RawValue {
  let text = "";
  let glob = false;
  let literalStar = false;
  for (let i = start + 1; i < src.length; i++) {
    const c = src[i]!;
    if (c === '"') return { text, quoted: true, glob, literalStar, start, end: i + 1 };
    if (c === "\\" && (src[i + 1] === '"' || src[i + 1] === "\\" || src[i + 1] === "*")) {
      if (src[i + 1] === "*") literalStar = true;
      text += src[++i];
      continue;
    }
    if (c === "*") glob = true;
    text += c;
  }
  fail(start, src.length, "unterminated quoted phrase", ['closing "']);
}

function bare(src: string, start: number, stop: (c: string | undefined) => boolean): RawValue {
  let i = start;
  while (!stop(src[i])) i++;
  const text = src.slice(start, i);
  return { text, quoted: false, glob: text.includes("*"), literalStar: false, start, end: i };
}

function value(src: string, at: number, stop: (c: string | undefined) => boolean): RawValue {
  return src[at] === '"' ? quoted(src, at) : bare(src, at, stop);
}

function fieldValue(src: string, tok: FieldToken): FieldToken {
  let i = tok.colon + 1;
  const op = /^(>=|<=|>|<)/.exec(src.slice(i, i + 2))?.[1] as ">" | ">=" | "<" | "<=" | undefined;
  if (op) {
    tok.op = { text: op, start: i, end: i + op.length };
    i += op.length;
  }
  if (src[i] === "[" && !op) {
    const open = i;
    const commas: number[] = [];
    i++;
    for (;;) {
      while (isSpace(src[i])) i++;
      if (src[i] === "]") break;
      if (i >= src.length) fail(open, src.length, "unclosed list", ["]"]);
      if (src[i] === ",") fail(i, i + 1, "empty list item", ["a value"]);
      const v = value(src, i, (c) => c === undefined || isSpace(c) || c === "," || c === "]");
      tok.values.push(v);
      i = v.end;
      while (isSpace(src[i])) i++;
      if (src[i] === ",") {
        commas.push(i);
        i++;
      } else if (src[i] !== "]") {
        if (i >= src.length) fail(open, src.length, "unclosed list", ["]"]);
        fail(i, i + 1, `unexpected "${src[i]}" in list`, [",", "]"]);
      }
    }
    tok.list = { open, close: i, commas };
    tok.end = i + 1;
    return tok;
  }
  if (!endsBare(src[i]) || src[i] === '"') {
    const v = value(src, i, endsBare);
    tok.values.push(v);
    i = v.end;
  }
  tok.end = i;
  return tok;
}

export interface LexResult {
  tokens: Token[];
  /** The first lexing error; `tokens` are those before it. */
  error?: HqlError;
}

export function lex(src: string): LexResult {
  const tokens: Token[] = [];
  try {
    if (src.length > MAX_QUERY_LENGTH) fail(MAX_QUERY_LENGTH, src.length, `query longer than ${MAX_QUERY_LENGTH} characters`);
    let i = 0;
    while (i < src.length) {
      const c = src[i]!;
      if (isSpace(c)) {
        i++;
      } else if (c === "(" || c === ")") {
        tokens.push({ t: c === "(" ? "lparen" : "rparen", start: i, end: i + 1 });
        i++;
      } else if (c === '"') {
        const v = quoted(src, i);
        tokens.push({ t: "text", text: v.text, quoted: true, start: i, end: v.end });
        i = v.end;
      } else if (c === "-" && src[i + 1] !== undefined && !isSpace(src[i + 1]) && src[i + 1] !== ")") {
        tokens.push({ t: "neg", start: i, end: i + 1 });
        i++;
      } else {
        let j = i;
        while (!endsBare(src[j]) && src[j] !== ":") j++;
        const prefix = src.slice(i, j);
        if (src[j] === ":" && FIELD_SHAPED.test(prefix) && !src.startsWith("//", j + 1)) {
          const tok = fieldValue(src, { t: "field", name: prefix, start: i, colon: j, values: [], end: j + 1 });
          tokens.push(tok);
          i = tok.end;
          continue;
        }
        while (!endsBare(src[j])) j++;
        const word = src.slice(i, j);
        if (word === "OR" || word === "AND" || word === "NOT") tokens.push({ t: "keyword", word, start: i, end: j });
        else tokens.push({ t: "text", text: word, quoted: false, start: i, end: j });
        i = j;
      }
    }
    return { tokens };
  } catch (e) {
    if (e instanceof HqlError) return { tokens, error: e };
    throw e;
  }
}
