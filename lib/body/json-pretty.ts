// Pretty JSON without re-serialising: the original tokens are kept (big numbers, duplicate keys,
// escapes stay as sent) and only whitespace changes. Capped so a huge or deeply nested body falls
// back to raw text instead of freezing the tab.
import { formatJsonLocation } from "@/lib/body/json-path";

export const JSON_LIMITS = { maxInputChars: 4 * 1024 * 1024, maxDepth: 64, maxOutputChars: 8 * 1024 * 1024 };

/** A string value of the pretty text (offsets into it) that `mark` picked, with what it said. */
export interface PrettyMark {
  start: number;
  end: number;
  note: string;
}

export type PrettyJson = { ok: true; text: string; marks?: PrettyMark[] } | { ok: false; reason: string };

/**
 * Picks string values to mark (the lens marks masked ones): called with the value's location
 * (`$.a[0].b`, as formatJsonLocation writes it) and its decoded text; a note marks it.
 */
export type PrettyMarker = (location: string, value: string) => string | null;

/** Deepest nesting of objects and arrays, ignoring brackets inside strings. Linear, no recursion. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}

export function prettyJson(text: string, limits = JSON_LIMITS, mark?: PrettyMarker): PrettyJson {
  if (text.length > limits.maxInputChars) return { ok: false, reason: `larger than ${Math.round(limits.maxInputChars / 1048576)} MiB` };
  const depth = jsonDepth(text);
  if (depth > limits.maxDepth) return { ok: false, reason: `nested ${depth} levels deep (limit ${limits.maxDepth})` };
  try {
    JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `not valid JSON (${(err as Error).message})` };
  }
  const out: string[] = [];
  let size = 0;
  let indent = 0;
  const push = (s: string) => {
    out.push(s);
    size += s.length;
  };
  const newline = () => push(`\n${"  ".repeat(indent)}`);
  // Where the scan is, only when marking: one frame per open object (its current key, and whether a
  // key comes next) or array (its current index). The depth is capped above, so this stays small.
  const marks: PrettyMark[] = [];
  const frames: { key: string | number; inObject: boolean; keyNext: boolean }[] = [];
  const location = () => formatJsonLocation(frames.map((f) => f.key));
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      const token = text.slice(i, j + 1);
      const top = frames[frames.length - 1];
      if (mark && top?.inObject && top.keyNext) {
        top.key = JSON.parse(token) as string;
        top.keyNext = false;
        push(token);
      } else if (mark) {
        const note = mark(location(), JSON.parse(token) as string);
        const start = size;
        push(token);
        if (note !== null) marks.push({ start, end: size, note });
      } else push(token);
      i = j;
    } else if (ch === "{" || ch === "[") {
      const close = ch === "{" ? "}" : "]";
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j]!)) j++;
      if (text[j] === close) {
        push(ch + close);
        i = j;
      } else {
        push(ch);
        indent++;
        newline();
        if (mark) frames.push({ key: ch === "{" ? "" : 0, inObject: ch === "{", keyNext: ch === "{" });
      }
    } else if (ch === "}" || ch === "]") {
      indent--;
      newline();
      push(ch);
      if (mark) frames.pop();
    } else if (ch === ",") {
      push(",");
      newline();
      const top = frames[frames.length - 1];
      if (top?.inObject) top.keyNext = true;
      else if (top) top.key = (top.key as number) + 1;
    } else if (ch === ":") push(": ");
    else if (ch !== " " && ch !== "\t" && ch !== "\n" && ch !== "\r") push(ch);
    if (size > limits.maxOutputChars) return { ok: false, reason: "pretty form too large" };
  }
  return mark ? { ok: true, text: out.join(""), marks } : { ok: true, text: out.join("") };
}
