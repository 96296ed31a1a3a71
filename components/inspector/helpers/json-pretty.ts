// Pretty JSON without re-serialising: the original tokens are kept (big numbers, duplicate keys,
// escapes stay as sent) and only whitespace changes. Capped so a huge or deeply nested body falls
// back to raw text instead of freezing the tab.
export const JSON_LIMITS = { maxInputChars: 4 * 1024 * 1024, maxDepth: 64, maxOutputChars: 8 * 1024 * 1024 };

export type PrettyJson = { ok: true; text: string } | { ok: false; reason: string };

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

export function prettyJson(text: string, limits = JSON_LIMITS): PrettyJson {
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
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      push(text.slice(i, j + 1));
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
      }
    } else if (ch === "}" || ch === "]") {
      indent--;
      newline();
      push(ch);
    } else if (ch === ",") {
      push(",");
      newline();
    } else if (ch === ":") push(": ");
    else if (ch !== " " && ch !== "\t" && ch !== "\n" && ch !== "\r") push(ch);
    if (size > limits.maxOutputChars) return { ok: false, reason: "pretty form too large" };
  }
  return { ok: true, text: out.join("") };
}
